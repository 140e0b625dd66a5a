/**
 * The processes of a prefix, whoever started them, found without sending
 * them anything: the primary is the process holding the POSIX write lock on
 * the runtime directory's `config` (EAL keeps it for the primary's life,
 * and /proc/locks names the holder); each secondary has bound
 * `mp_socket_<pid>_<n>` there. /proc gives the command line, state and CPU.
 */
import fs from 'node:fs';
import path from 'node:path';
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

const NO_PRIMARY_RETRY_MS = 2_000;

/** Signal 0: whether the pid exists (a zombie is caught by its state when read). */
function exists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
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

/** The pid holding a POSIX write lock on the file with inode `ino` (the primary on `config`), or null. */
function lockHolder(ino: number): number | null {
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
  /** A pid's command line does not change: read once. */
  private readonly cmdlines = new Map<number, string>();
  /**
   * The primary as last found. /proc/locks lists every lock of the machine
   * (thousands with hugepage files) and costs tens of ms of kernel time, so
   * it is read again only when the config file is a new one, the primary
   * died, or (none found) at most every NO_PRIMARY_RETRY_MS.
   */
  private primary: { ino: number; pid: number | null; at: number } | null = null;

  constructor(private readonly runtimeDir: string) {}

  /** Every live process of the prefix except `exclude` (this process, and rows shown elsewhere). */
  read(exclude: ReadonlySet<number>): PrefixProcess[] {
    const pids: { pid: number; primary: boolean }[] = [];
    const primary = this.primaryPid();
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
      if (exclude.has(pid)) continue;
      // One read of stat gives the state, the name and the CPU times (a gone pid fails the read).
      const stat = read(`/proc/${pid}/stat`);
      const letter = stat?.[stat.lastIndexOf(')') + 2];
      const now = stat ? cpuTimes(pid, stat) : null;
      if (!stat || !now || letter === undefined || letter === 'Z' || letter === 'X') continue;
      seen.add(pid);
      const before = this.lastCpu.get(pid);
      this.lastCpu.set(pid, now);
      let cmdline = this.cmdlines.get(pid);
      if (cmdline === undefined) this.cmdlines.set(pid, (cmdline = (read(`/proc/${pid}/cmdline`) ?? '').split('\0').filter(Boolean).join(' ')));
      out.push({
        pid,
        primary: isPrimary,
        comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
        cmdline,
        stateLetter: letter,
        cpu: cpuShare(now, before),
        cpuSeconds: now.userS + now.sysS,
        uptimeMs: Math.max(0, Math.round(now.ageS * 1000)),
      });
    }
    for (const pid of this.lastCpu.keys()) if (!seen.has(pid)) this.lastCpu.delete(pid);
    for (const pid of this.cmdlines.keys()) if (!seen.has(pid)) this.cmdlines.delete(pid);
    return out;
  }

  private primaryPid(now = Date.now()): number | null {
    let ino: number;
    try {
      ino = fs.statSync(path.join(this.runtimeDir, 'config')).ino;
    } catch {
      return null;
    }
    const p = this.primary;
    const stale = !p || p.ino !== ino || (p.pid !== null ? !exists(p.pid) : now - p.at >= NO_PRIMARY_RETRY_MS);
    if (stale) this.primary = { ino, pid: lockHolder(ino), at: now };
    return this.primary!.pid;
  }
}
