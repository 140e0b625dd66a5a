/**
 * What /proc says about a process: CPU time (user and system, in seconds),
 * its age, the lcores it was given (-l / --lcores / -c on its command line)
 * and the CPUs each of its threads may run on.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** USER_HZ: 100 on every Linux architecture mpsh builds for. */
const TICKS_PER_S = 100;

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

/** Fields of /proc/<pid>/stat after the command name (which may hold spaces). */
function statFields(path: string): string[] | null {
  const s = read(path);
  if (!s) return null;
  return s.slice(s.lastIndexOf(')') + 2).split(' ');
}

/** `stat`: /proc/<pid>/stat already read (it costs ~0.2 ms for a process with a large hugepage mapping). */
export function cpuTimes(pid: number, stat?: string): CpuTimes | null {
  const f = stat !== undefined ? stat.slice(stat.lastIndexOf(')') + 2).split(' ') : statFields(`/proc/${pid}/stat`);
  const up = read('/proc/uptime');
  if (!f || !up) return null;
  // Fields 14, 15 and 22 of stat(5), counted from 3 here.
  const utime = Number(f[11]);
  const stime = Number(f[12]);
  const start = Number(f[19]);
  return { at: performance.now(), userS: utime / TICKS_PER_S, sysS: stime / TICKS_PER_S, ageS: Number(up.split(' ')[0]) - start / TICKS_PER_S };
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
    const lastCpu = Number(statFields(`/proc/${pid}/task/${tid}/stat`)?.[36] ?? NaN);
    out.push({ name: worker ? `lcore ${worker[1]}` : 'main', cpus, lastCpu });
  }
  return out;
}
