/**
 * Per-second rates of counters, from the difference between two samples.
 * Samples closer than MIN_RATE_INTERVAL_MS apart reuse the earlier rates:
 * over a shorter window a rate is noise.
 */
import type { RateFn } from './types.js';

export const MIN_RATE_INTERVAL_MS = 200;

interface Sample {
  at: number;
  values: Map<string, number>;
  rates: Map<string, number>;
  /** Some counter had no earlier value to compare with. */
  pending: boolean;
}

export class Rates {
  private prev: Sample = { at: 0, values: new Map(), rates: new Map(), pending: true };
  private next: Sample | null = null;
  private current: Sample | null = null;

  /** Starts a sample taken at `now`; the function it returns records a counter and gives its rate. */
  begin(now: number): RateFn {
    const prev = this.prev;
    const fresh = now - prev.at >= MIN_RATE_INTERVAL_MS;
    const dt = (now - prev.at) / 1000;
    const sample: Sample = { at: now, values: new Map(), rates: new Map(), pending: fresh ? false : prev.pending };
    this.current = sample;
    this.next = fresh ? sample : null;
    return (key, v) => {
      sample.values.set(key, v);
      const before = prev.values.get(key);
      if (fresh && (!prev.at || before === undefined)) sample.pending = true;
      const r = !fresh ? (prev.rates.get(key) ?? 0) : prev.at && before !== undefined && v >= before ? (v - before) / dt : 0;
      sample.rates.set(key, r);
      return r;
    };
  }

  /**
   * Ends the sample: it becomes the base of the next rates (unless it came
   * too soon). Returns whether some rate of it is not known yet.
   */
  end(): boolean {
    const pending = this.current?.pending ?? true;
    if (this.next) this.prev = this.next;
    this.next = null;
    this.current = null;
    return pending;
  }
}
