/**
 * The files a prefix leaves in its runtime directory and on hugetlbfs, and
 * who removes which: a process its own (socket, memseg list copies, lcore
 * claims); the last process of the prefix everything EAL left behind.
 */
import fs from 'node:fs';
import path from 'node:path';
import { native } from './native.js';
import { runtimeDirOf } from './ealOptions.js';
import { pidAlive } from '../os/pids.js';

/**
 * Pids of the live processes of a prefix other than this one, from the
 * multi-process sockets EAL names after them (mp_socket_<pid>_<tsc>; a
 * killed process leaves its socket behind, hence the pid check).
 */
export function liveProcessesOf(runtimeDir: string): number[] {
  let names: string[];
  try {
    names = fs.readdirSync(runtimeDir);
  } catch {
    return [];
  }
  const pids = names
    .map((n) => /^mp_socket_(\d+)_/.exec(n)?.[1])
    .filter((p): p is string => p !== undefined)
    .map(Number);
  return [...new Set(pids)].filter((pid) => pid !== process.pid && pidAlive(pid)).sort((a, b) => a - b);
}

/**
 * The files a process of the prefix names after its pid: its multi-process
 * socket (mp_socket_<pid>_<tsc>) and a secondary's local copies of the
 * memseg lists (fbarray_<list>_<pid>). EAL's clean-up would remove them;
 * without it (or for a process that died) they are removed here.
 */
export function removeProcessFiles(runtimeDir: string, pids: readonly number[]): void {
  let names: string[] = [];
  try {
    names = fs.readdirSync(runtimeDir);
  } catch {
    return; // gone already
  }
  for (const pid of pids) {
    for (const n of names) {
      if (n.startsWith(`mp_socket_${pid}_`) || (n.startsWith('fbarray_') && n.endsWith(`_${pid}`))) {
        fs.rmSync(path.join(runtimeDir, n), { force: true });
      }
    }
  }
}

/** A secondary's own files: those named after its pid, and its lcore claims. */
export function removeOwnFiles(runtimeDir: string, claimDir: string, lcores: number[]): void {
  removeProcessFiles(runtimeDir, [process.pid]);
  for (const id of lcores) fs.rmSync(path.join(claimDir, `lcore-${id}.lock`), { force: true });
  try {
    fs.rmdirSync(claimDir);
  } catch {
    // other processes' claims are still there
  }
}

/**
 * The last process of a prefix to leave removes what EAL leaves behind
 * (hugepage files, the runtime directory), so pages are not held after
 * everyone has gone. Used after a clean-up, or by a process that waited for
 * a primary that never came.
 */
export function removePrefixLeftovers(filePrefix: string, hugeDir = hugetlbfsMount()): void {
  const dir = runtimeDirOf(filePrefix);
  if (native().primaryPid(dir) !== 0 || liveProcessesOf(dir).length > 0) return;
  if (hugeDir) native().removeUnusedHugepageFiles(hugeDir, filePrefix);
  fs.rmSync(dir, { recursive: true, force: true });
}

/** The first hugetlbfs mount (EAL's default when --huge-dir is not given). */
export function hugetlbfsMount(): string | undefined {
  try {
    const line = fs
      .readFileSync('/proc/mounts', 'utf8')
      .split('\n')
      .find((l) => l.split(' ')[2] === 'hugetlbfs');
    return line?.split(' ')[1];
  } catch {
    return undefined;
  }
}
