/**
 * The one exit path. Whatever ends the process (quit, Ctrl-D, end of input,
 * SIGINT, SIGTERM, SIGHUP and the other fatal signals, EIO or EPIPE on the
 * terminal, an uncaught exception) runs the registered cleanups once, in
 * reverse order of registration (lcore loops before EAL), then exits (or,
 * when its primary has gone, starts afresh: restartAfresh).
 *
 * Signal handlers in Node run on the JS thread from the event loop, so the
 * cleanup is ordinary code; nothing runs inside the async signal context
 * (the stock samples' printf-in-handler crashes, DPDK Bugzilla 1751).
 */
import os from 'node:os';
import { native } from './native.js';

/**
 * Catchable signals whose default action would end the process at once,
 * stranding its children and files (SIGUSR1 starts Node's inspector,
 * SIGPIPE Node ignores, SIGTTIN/SIGTTOU are ignored: see below).
 */
const OTHER_FATAL_SIGNALS: NodeJS.Signals[] = ['SIGQUIT', 'SIGUSR2', 'SIGALRM', 'SIGVTALRM', 'SIGXCPU', 'SIGXFSZ', 'SIGPWR', 'SIGSYS'];

type Cleanup = () => void | Promise<void>;

const cleanups: { name: string; fn: Cleanup }[] = [];
let exiting: Promise<never> | null = null;

export function onShutdown(name: string, fn: Cleanup): void {
  cleanups.push({ name, fn });
}

export function shutdown(code = 0): Promise<never> {
  if (!exiting) exiting = run(code);
  return exiting;
}

/**
 * Leaves through the same clean-ups, then starts afresh: the process image
 * is replaced by a new run of itself (same pid, argv and terminal; `env`
 * added; `keepFds` handed over, e.g. a listening socket). How a shell or an
 * exporter lets go of a gone primary's memory and waits for the next one.
 */
export function restartAfresh(env: Record<string, string>, keepFds: number[] = []): Promise<never> {
  if (!exiting) {
    restarting = true;
    exiting = run(0, () => {
      Object.assign(process.env, env);
      native().execSelf(process.execPath, [process.execPath, ...process.execArgv, ...process.argv.slice(1)], keepFds);
    });
  }
  return exiting;
}

export function isShuttingDown(): boolean {
  return exiting !== null;
}

let restarting = false;
/** Leaving for a fresh image of this process: what is handed over stays open. */
export function isRestarting(): boolean {
  return restarting;
}

async function run(code: number, before?: () => void): Promise<never> {
  for (const { name, fn } of cleanups.reverse()) {
    try {
      await fn();
    } catch (err) {
      process.stderr.write(`mpsh: while stopping ${name}: ${err instanceof Error ? err.message : String(err)}\n`);
      code = code || 1;
    }
  }
  releaseLostTerminal();
  try {
    before?.();
  } catch (err) {
    process.stderr.write(`mpsh: ${err instanceof Error ? err.message : String(err)}\n`);
    code = 1;
  }
  process.exit(code);
}

/**
 * A hung-up terminal on stdin, stdout or stderr is swapped for /dev/null: the
 * rest of the clean-up prints into nothing, and Node's exit does not abort
 * restoring a terminal that is gone (see native/src/eal/stdio.cc).
 */
function releaseLostTerminal(): void {
  try {
    native().releaseHungUpStdio();
  } catch {
    // no addon (it failed to load): nothing of ours to clean up either
  }
}

export interface SignalOptions {
  /** Runs first, with the signal that ends the process. */
  onSignal?: (sig: NodeJS.Signals) => void;
  /**
   * Whether a closed stdout (its reader went away) ends the process. A shell
   * with nobody reading has no purpose; a packet worker whose shell died
   * must go on forwarding.
   */
  stdoutClosedEnds?: boolean;
}

/**
 * SIGINT, SIGTERM and SIGHUP (and the other catchable fatal signals) end the process gracefully; a second one while
 * stopping is ignored. Losing the terminal (SIGHUP, EIO or EPIPE on stdio)
 * is one of them: the shell ends as on quit.
 */
export function installSignalHandlers(opts: SignalOptions = {}): void {
  // Never stopped for touching a terminal it lost the foreground of: EIO instead, handled below.
  native().ignoreTerminalStops();
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP', ...OTHER_FATAL_SIGNALS] as NodeJS.Signals[]) {
    process.on(sig, () => {
      if (sig === 'SIGHUP') releaseLostTerminal();
      if (isShuttingDown()) return;
      opts.onSignal?.(sig);
      // The usual three are how one asks a process to stop; the others say something went wrong.
      void shutdown(OTHER_FATAL_SIGNALS.includes(sig) ? 128 + os.constants.signals[sig] : 0);
    });
  }
  const ends = opts.stdoutClosedEnds ?? true;
  // A worker never reads its stdin; the shell's is its terminal or script.
  for (const stream of ends ? [process.stdout, process.stderr, process.stdin] : [process.stdout, process.stderr]) {
    // Without a listener an EIO from a hung-up terminal is an uncaught exception.
    stream.on('error', () => {
      releaseLostTerminal();
      if (ends && stream !== process.stderr) void shutdown(0);
    });
  }
  // A bug must not strand children, workers and hugepages either: one line, then the clean-up.
  const fatal = (err: unknown) => {
    if (isShuttingDown()) return;
    process.stderr.write(`mpsh: internal error, stopping: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    void shutdown(70);
  };
  process.on('uncaughtException', fatal);
  process.on('unhandledRejection', fatal);
  // Nothing left to wait for (a hung-up terminal's stdin ends, and with it
  // the last handle): still leave through the clean-up, never around it.
  process.on('beforeExit', () => void shutdown(Number(process.exitCode ?? 0)));
}
