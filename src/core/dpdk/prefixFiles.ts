/**
 * What a file prefix has on disk: the live processes that use it, and where
 * its hugepage files go. Read without touching EAL, so start-up checks and
 * clean-ups can ask before (or after) EAL runs.
 */
import fs from 'node:fs';
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
