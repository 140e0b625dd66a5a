/**
 * Whether a process is still there, for processes this one may not have
 * started (workers found in shared slots, stock peers).
 */
import { procStat } from './procInfo.js';

/**
 * Whether `pid` names a live process. A zombie counts as gone: it has exited
 * and only waits for its parent to collect it. That matters once the shell
 * that started a worker has died: the worker's new parent is init, which may
 * take seconds to reap it.
 */
export function pidAlive(pid: number): boolean {
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0); // signal 0 probes without sending
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const state = procStat(pid)?.state; // undefined: gone between the probe and the read
  return state !== undefined && state !== 'Z' && state !== 'X';
}
