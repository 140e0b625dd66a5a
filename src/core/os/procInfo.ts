/**
 * What /proc says about a process: the one reader of /proc/<pid>/stat
 * (state, command name, CPU times; core and bench alike), CPU time in
 * seconds by the system's clock tick, its age, the lcores it was given (-l /
 * --lcores / -c on its command line) and the CPUs each of its threads may
 * run on.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

let clockTicks: number | undefined;

/**
 * USER_HZ, the unit of the times in /proc/<pid>/stat (sysconf(_SC_CLK_TCK)).
 * Node has no sysconf, so getconf is asked once; 100, USER_HZ on every Linux
 * architecture Node runs on, if it cannot answer.
 */
export function clockTicksPerSecond(): number {
  if (clockTicks === undefined) {
    let n = NaN;
    try {
      n = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    } catch {
      // no getconf: the fallback below
    }
    clockTicks = Number.isFinite(n) && n > 0 ? n : 100;
  }
  return clockTicks;
}

/** The fields of /proc/<pid>/stat (stat(5)) mpsh reads; times in clock ticks. */
export interface ProcStat {
  comm: string;
  /** R, S, D, T (stopped), t (traced), Z (zombie), X (dead)... */
  state: string;
  ppid: number;
  utime: number;
  stime: number;
  /** When the process started, in ticks after boot. */
  startTime: number;
  /** The CPU it last ran on. */
  processor: number;
}

export interface CpuTimes {
  /** When read (ms, monotonic enough for a difference). */
  at: number;
  userS: number;
  sysS: number;
  /** Seconds since the process started. */
  ageS: number;
}

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** /proc/<pid>/stat, or a thread's (`tid`); null once the process is gone. */
export function procStat(pid: number, tid?: number): ProcStat | null {
  const s = read(tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`);
  return s ? parseProcStat(s) : null;
}

/** The fields of a /proc/<pid>/stat text already read. */
export function parseProcStat(s: string): ProcStat {
  // The command name is in parentheses and may hold spaces and ')': fields
  // go on after the last ')', from field 3 (state), so field n is f[n - 3].
  const close = s.lastIndexOf(')');
  const f = s.slice(close + 2).split(' ');
  const n = (field: number) => Number(f[field - 3]);
  return { comm: s.slice(s.indexOf('(') + 1, close), state: f[0] ?? '', ppid: n(4), utime: n(14), stime: n(15), startTime: n(22), processor: n(39) };
}

/** `stat`: /proc/<pid>/stat already read (it costs ~0.2 ms for a process with a large hugepage mapping). */
export function cpuTimes(pid: number, stat?: string): CpuTimes | null {
  const st = stat !== undefined ? parseProcStat(stat) : procStat(pid);
  const up = read('/proc/uptime');
  if (!st || !up) return null;
  const hz = clockTicksPerSecond();
  return { at: performance.now(), userS: st.utime / hz, sysS: st.stime / hz, ageS: Number(up.split(' ')[0]) - st.startTime / hz };
}

/** Share of one CPU used between two readings (1 = one full core), or over the whole life when there is no earlier one. */
export function cpuShare(now: CpuTimes, before?: CpuTimes | null): number {
  if (before && now.at > before.at) return (now.userS + now.sysS - before.userS - before.sysS) / ((now.at - before.at) / 1000);
  return now.ageS > 0 ? (now.userS + now.sysS) / now.ageS : 0;
}

export function lcoreArg(pid: number): string | null {
  const argv = read(`/proc/${pid}/cmdline`)?.split('\0') ?? [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-l' || a === '--lcores' || a === '-c') return `${a} ${argv[i + 1] ?? ''}`;
    const m = /^(-l|--lcores=|-c)(.+)$/.exec(a);
    if (m) return `${m[1]!.replace(/=$/, '')} ${m[2]}`;
  }
  return null;
}

export interface ThreadAffinity {
  /** 'main', or the lcore id of an EAL worker thread (named rte-worker-<id> or lcore-worker-<id>). */
  name: string;
  cpus: string;
  /** CPU it last ran on. */
  lastCpu: number;
}

/** Threads worth showing: the main one (the main lcore, when EAL runs there) and DPDK's lcore workers. */
export function threadAffinity(pid: number): ThreadAffinity[] {
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  const out: ThreadAffinity[] = [];
  for (const tid of tids.sort((a, b) => Number(a) - Number(b))) {
    const name = read(`/proc/${pid}/task/${tid}/comm`)?.trim() ?? '';
    const worker = /^(?:rte|lcore)-worker-(\d+)$/.exec(name);
    if (tid !== String(pid) && !worker) continue;
    const cpus = /Cpus_allowed_list:\s*(\S+)/.exec(read(`/proc/${pid}/task/${tid}/status`) ?? '')?.[1] ?? '?';
    const lastCpu = procStat(pid, Number(tid))?.processor ?? NaN;
    out.push({ name: worker ? `lcore ${worker[1]}` : 'main', cpus, lastCpu });
  }
  return out;
}
