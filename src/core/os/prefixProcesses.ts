/**
 * The processes of a prefix, whoever started them, found without sending
 * them anything: the primary is the process holding the POSIX write lock on
 * the runtime directory's `config` (EAL keeps it for the primary's life,
 * and /proc/locks names the holder); each secondary has bound
 * `mp_socket_<pid>_<n>` there. /proc gives the command line, state and CPU.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pidAlive } from './pids.js';
import { cpuShare, cpuTimes, type CpuTimes } from './procInfo.js';

export interface PrefixProcess {
  pid: number;
  primary: boolean;
  /** The kernel's name for it (/proc/<pid>/comm), e.g. dpdk-testpmd. */
  comm: string;
  cmdline: string;
  /** ps(1)'s state letter: R running, S sleeping, T stopped, Z zombie, ... */
  stateLetter: string;
  /** Share of one CPU since the previous reading (over its life at the first). */
  cpu: number;
  /** CPU time so far (user + system). */
  cpuSeconds: number;
  uptimeMs: number;
}

const STATE_WORDS: Record<string, string> = {
  R: 'running',
  S: 'running',
  D: 'running (in I/O)',
  T: 'stopped',
  t: 'stopped (traced)',
  Z: 'dead (zombie)',
  X: 'dead',
};

/** The state as mpsh's rows word it (a DPDK app sleeping in a syscall is still running). */
export function stateWord(letter: string): string {
  return STATE_WORDS[letter] ?? letter;
}

function read(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** The pid holding a POSIX write lock on the file (the primary on `config`), or null. */
function lockHolder(file: string): number | null {
  let ino: number;
  try {
    ino = fs.statSync(file).ino;
  } catch {
    return null;
  }
  for (const line of (read('/proc/locks') ?? '').split('\n')) {
    const f = line.trim().split(/\s+/);
    // "<n>: POSIX ADVISORY WRITE <pid> <maj>:<min>:<inode> <start> <end>"
    if (f[1] === 'POSIX' && f[3] === 'WRITE' && f[5]?.split(':')[2] === String(ino)) return Number(f[4]);
  }
  return null;
}

/** Reads the processes of the prefix; keeps each pid's last CPU reading so the share is over the last interval. */
export class PrefixProcesses {
  private readonly lastCpu = new Map<number, CpuTimes>();

  constructor(private readonly runtimeDir: string) {}

  /** Every live process of the prefix except `exclude` (this process, and rows shown elsewhere). */
  read(exclude: ReadonlySet<number>): PrefixProcess[] {
    const pids: { pid: number; primary: boolean }[] = [];
    const primary = lockHolder(path.join(this.runtimeDir, 'config'));
    if (primary !== null) pids.push({ pid: primary, primary: true });
    let files: string[] = [];
    try {
      files = fs.readdirSync(this.runtimeDir);
    } catch {
      // no runtime directory: no processes
    }
    for (const f of files) {
      const m = /^mp_socket_(\d+)_[0-9a-f]+$/.exec(f);
      const pid = m ? Number(m[1]) : NaN;
      if (Number.isInteger(pid) && pid !== primary && !pids.some((p) => p.pid === pid)) pids.push({ pid, primary: false });
    }
    const out: PrefixProcess[] = [];
    const seen = new Set<number>();
    for (const { pid, primary: isPrimary } of pids) {
      if (exclude.has(pid) || !pidAlive(pid)) continue;
      const stat = read(`/proc/${pid}/stat`);
      const now = cpuTimes(pid);
      if (!stat || !now) continue;
      seen.add(pid);
      const before = this.lastCpu.get(pid);
      this.lastCpu.set(pid, now);
      out.push({
        pid,
        primary: isPrimary,
        comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
        cmdline: (read(`/proc/${pid}/cmdline`) ?? '').split('\0').filter(Boolean).join(' '),
        stateLetter: stat[stat.lastIndexOf(')') + 2] ?? '?',
        cpu: cpuShare(now, before),
        cpuSeconds: now.userS + now.sysS,
        uptimeMs: Math.max(0, Math.round(now.ageS * 1000)),
      });
    }
    for (const pid of this.lastCpu.keys()) if (!seen.has(pid)) this.lastCpu.delete(pid);
    return out;
  }
}
