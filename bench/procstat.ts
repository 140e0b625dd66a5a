/**
 * Reads of /proc for one process: CPU time and resident memory.
 * Both are read from the thread-group leader's files, which the kernel sums
 * over every thread of the process (lcore threads included).
 */
import fs from 'node:fs';
import { clockTicksPerSecond, procStat } from '../src/core/os/procInfo.js';

export { clockTicksPerSecond };

/** utime + stime of the whole process, in clock ticks. */
export function cpuTicks(pid: number): number {
  const st = procStat(pid);
  if (!st || !Number.isFinite(st.utime) || !Number.isFinite(st.stime)) throw new Error(`cannot parse /proc/${pid}/stat`);
  return st.utime + st.stime;
}

/** VmRSS of the process in KiB (hugetlbfs pages are not part of it: the kernel counts them in HugetlbPages). */
export function rssKiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (!m) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(m[1]);
}

/**
 * CPU use of each process over one window, in percent of one core.
 * The window is timed with the monotonic clock rather than assumed, so a late
 * timer does not inflate the figure.
 */
export async function cpuPercentOver(pids: number[], windowMs: number): Promise<number[]> {
  const before = pids.map(cpuTicks);
  const t0 = process.hrtime.bigint();
  await new Promise((resolve) => setTimeout(resolve, windowMs));
  const after = pids.map(cpuTicks);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const hz = clockTicksPerSecond();
  return pids.map((_, i) => ((after[i] - before[i]) / hz / seconds) * 100);
}

/** Busy ticks of the whole machine (all CPUs): /proc/stat's first line less idle and iowait. */
export function systemBusyTicks(): number {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n', 1)[0];
  // cpu user nice system idle iowait irq softirq steal guest guest_nice; guest time is already in user.
  const f = line.trim().split(/\s+/).slice(1, 9).map(Number);
  if (f.length < 8 || f.some((v) => !Number.isFinite(v))) throw new Error(`cannot parse /proc/stat: ${line}`);
  const [user, nice, system, , , irq, softirq, steal] = f;
  return user + nice + system + irq + softirq + steal;
}
