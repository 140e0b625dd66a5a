/**
 * The life of the primary a secondary lives on: who it is, whether it runs,
 * and what this process does when it goes.
 *
 * A secondary maps memory and a config its primary owns. Once the primary
 * has gone, that memory is nobody's: running rte_eal_cleanup on it walks
 * structures a restarting primary may be re-creating (a SIGFPE inside
 * librte_eal), and keeping it mapped holds the locks that make the app's
 * own restart fail ("Cannot allocate memzone list"). So a secondary that
 * sees its primary go says so in one line, never cleans EAL up, removes only
 * its own files and either leaves or (shell, exporter) starts afresh in a
 * new process image that waits for the next primary of the prefix.
 */
import fs from 'node:fs';
import path from 'node:path';
import { native } from './native.js';
import { liveProcessesOf } from './prefixFiles.js';

export interface PrimaryProcess {
  pid: number;
  /** Its program name and arguments, as /proc shows them. */
  command: string;
  /** Stopped by SIGSTOP or a debugger: it answers no multi-process request. */
  stopped: boolean;
}

/** The process holding the prefix's config lock, or null when none does. */
export function primaryOf(runtimeDir: string): PrimaryProcess | null {
  const pid = native().primaryPid(runtimeDir);
  if (pid === 0) return null;
  let command = `pid ${pid}`;
  let stopped = false;
  try {
    const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    if (argv.length > 0) command = [path.basename(argv[0]!), ...argv.slice(1)].join(' ');
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat[stat.lastIndexOf(')') + 2];
    stopped = state === 'T' || state === 't';
  } catch {
    // gone meanwhile: the caller looks again
  }
  return { pid, command, stopped };
}

/** `pid 123 (dpdk-testpmd)`: how messages name the primary. */
export const nameOf = (p: PrimaryProcess) => `pid ${p.pid} (${p.command.split(' ')[0]})`;

/** Env var a re-executed image finds the gone primary's pid in: it waits for another one. */
export const GONE_PRIMARY_ENV = 'MPSH_PRIMARY_GONE';

/** mpsh's role word in a process's argv (`''` for the shell), or null when it is not mpsh. */
function mpshRoleOf(pid: number): string | null {
  try {
    const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    const at = argv.findIndex((a) => a.endsWith('/bin/mpsh'));
    if (at < 0) return null;
    const role = argv[at + 1] ?? '';
    return role.startsWith('-') ? '' : role;
  } catch {
    return null;
  }
}

export const isMpshProcess = (pid: number) => mpshRoleOf(pid) !== null;

/** An mpsh shell or exporter: it owns nothing and follows the primary out. */
function isMonitor(pid: number): boolean {
  return ['', 'shell', 'hotplug', 'exporter'].includes(mpshRoleOf(pid) ?? 'stock');
}

/**
 * When every live process of a primary-less prefix is a monitor: who they
 * are (`pid 12 (mpsh exporter)`). Null when any of them is something else.
 */
export function onlyMonitors(pids: number[]): string | null {
  if (pids.length === 0 || !pids.every(isMonitor)) return null;
  return pids.map((pid) => `pid ${pid} (mpsh ${mpshRoleOf(pid) || 'shell'})`).join(', ');
}

/**
 * The processes of the prefix, other than this one, that go on without a
 * primary: its packet workers (mpsh's groups outlive a killed primary, and
 * a later shell attaches to them), not the monitors.
 */
export function workersLeft(runtimeDir: string): number[] {
  return liveProcessesOf(runtimeDir).filter((pid) => !isMonitor(pid));
}

export type GoneHow = 'exited' | 'announced';

/**
 * Calls `onGone` once, the moment the primary has exited (a pidfd);
 * `announced` when it said so first over the multi-process channel
 * (testpmd's quit). Also registers the replies an app expects from its
 * secondaries.
 */
export function watchPrimary(runtimeDir: string, onGone: (p: PrimaryProcess, how: GoneHow) => void): PrimaryProcess | null {
  const addon = native();
  addon.registerNeighbourActions();
  const primary = primaryOf(runtimeDir);
  if (!primary) return null;
  addon.watchPrimary(primary.pid, (how) => onGone(primary, how));
  return primary;
}

export function goneLine(p: PrimaryProcess, how: GoneHow, prefix: string, next: string): string {
  const what = how === 'exited' ? 'has exited' : 'has quit';
  return `the primary of file prefix '${prefix}', ${nameOf(p)}, ${what}: ${next}`;
}

export interface WaitOptions {
  /** The pid of a primary that is known to have gone: it does not count. */
  notPid?: number;
  /** Told once per change of what is being waited for. */
  say: (line: string) => void;
  /** Checked between polls; waiting ends (returns null) when it says so. */
  cancelled?: () => boolean;
  pollMs?: number;
  /** Added to the waiting line: how to leave, for a process someone watches. */
  hint?: string;
}

/** RTE_MAGIC: the primary writes it first in the shared config once its EAL init is complete. */
const RTE_MAGIC = 19820526;

/**
 * Whether the prefix's shared config is a complete one: a primary that has
 * not finished starting has not written it yet (a secondary attaching then
 * asks for devices before they are probed, and has no ports), and one that
 * failed to start over a gone primary's secondaries left it re-created and
 * unfinished under them (their EAL clean-up would then crash on it).
 */
export function configComplete(runtimeDir: string): boolean {
  try {
    const fd = fs.openSync(path.join(runtimeDir, 'config'), 'r');
    try {
      const head = Buffer.alloc(4);
      return fs.readSync(fd, head, 0, 4, 0) === 4 && head.readUInt32LE(0) === RTE_MAGIC;
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return false;
  }
}

/**
 * Waits until a primary of the prefix runs (not stopped, not the one that
 * went) and has finished starting. Polls: a primary can appear at any time
 * and from anywhere.
 */
export async function waitForPrimary(runtimeDir: string, prefix: string, opts: WaitOptions): Promise<PrimaryProcess | null> {
  let said = '';
  const say = (key: string, line: string) => {
    if (said !== key) opts.say(line);
    said = key;
  };
  for (;;) {
    if (opts.cancelled?.()) return null;
    const p = primaryOf(runtimeDir);
    if (p && p.pid !== opts.notPid) {
      if (p.stopped) say(`stopped ${p.pid}`, `primary ${nameOf(p)} of file prefix '${prefix}' is stopped (SIGSTOP or a debugger); waiting for it to resume`);
      else if (configComplete(runtimeDir)) return p;
    } else {
      say('none', `waiting for a primary of file prefix '${prefix}'${opts.hint ?? ''}`);
    }
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 100));
  }
}
