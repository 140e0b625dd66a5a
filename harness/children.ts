/**
 * Everything a test run or the bench starts, tracked until it ends, so that
 * neither an error nor a signal leaves a process spinning on a core or a
 * file prefix holding hugepages.
 *
 * - track(child): every child process, signalled by signalAll() (the bench
 *   driver's SIGINT/SIGTERM handler) and SIGKILLed when this process exits.
 * - onHardExit(fn): synchronous last-resort cleanups (a tmux server, prefix
 *   files) for an exit that skips the modules' own `finally` blocks: a second
 *   Ctrl-C, an uncaught error. The modules' normal path cleans up by itself.
 */
import type { ChildProcess } from 'node:child_process';

const live = new Set<ChildProcess>();
const hardExitHooks = new Set<() => void>();

export function track(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
}

/** Signals every tracked process that is still running (by its own pid). */
export function signalAll(signal: NodeJS.Signals): void {
  for (const c of live) c.kill(signal);
}

/** Registers a synchronous cleanup for a hard exit; returns its removal, for when the normal path has done the job. */
export function onHardExit(fn: () => void): () => void {
  hardExitHooks.add(fn);
  return () => hardExitHooks.delete(fn);
}

process.on('exit', () => {
  signalAll('SIGKILL');
  for (const fn of hardExitHooks) {
    try {
      fn();
    } catch {
      // Best effort: the process is exiting; one failed cleanup must not skip the others.
    }
  }
});
