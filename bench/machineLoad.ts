/**
 * What the rest of the machine does while a rate is measured. On 2 CPUs a
 * test suite or another build running beside the bench takes a core from the
 * forwarding loops and moves a 5 s rate by tens of percent, so each window
 * says how busy everything else kept the CPUs, and trials wait (within a
 * budget) for a quiet machine before they start.
 */
import { clockTicksPerSecond, cpuTicks, systemBusyTicks } from './procstat.js';
import { sleep } from '../harness/watchedProcess.js';

function ticksOf(pid: number): number {
  try {
    return cpuTicks(pid);
  } catch {
    return 0; // Gone meanwhile: the window's caller reports that; here it only stops counting.
  }
}

/**
 * Runs fn and returns its value with the CPU every process other than `pids`
 * used meanwhile: all CPUs' busy time less theirs, in % of one core.
 */
export async function othersDuring<T>(pids: number[], fn: () => Promise<T>): Promise<[T, number]> {
  const ticks = () => systemBusyTicks() - pids.reduce((s, p) => s + ticksOf(p), 0);
  const before = ticks();
  const t0 = process.hrtime.bigint();
  const value = await fn();
  const after = ticks();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return [value, ((after - before) / clockTicksPerSecond() / seconds) * 100];
}

/** Holds each trial back until the machine is quiet, spending at most `budgetMs` over a whole benchmark. */
export class QuietGate {
  waitedMs = 0;
  /** Trials that started busy because the budget ran out. */
  busyStarts = 0;

  constructor(
    /** Quiet: the other processes use at most this much of one core. */
    readonly thresholdPct = 25,
    readonly probeMs = 1_000,
    readonly budgetMs = 120_000,
  ) {}

  async wait(): Promise<void> {
    for (;;) {
      const t0 = Date.now();
      const [, pct] = await othersDuring([], () => sleep(this.probeMs));
      if (pct <= this.thresholdPct) return;
      this.waitedMs += Date.now() - t0;
      if (this.waitedMs >= this.budgetMs) {
        this.busyStarts++;
        return;
      }
    }
  }

  describe(): string {
    return `before each trial the bench waited for the other processes to use at most ${this.thresholdPct}% of a core over ${this.probeMs / 1000} s: ${(this.waitedMs / 1000).toFixed(0)} s waited in all (budget ${this.budgetMs / 1000} s)${this.busyStarts ? `, ${this.busyStarts} trials started busy` : ''}`;
  }
}
