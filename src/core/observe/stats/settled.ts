/**
 * A sample whose rates are known. A rate needs two samples
 * MIN_RATE_INTERVAL_MS apart, and so does a stock process's state: one
 * without a slot is "running (stock)" only while its counters move. Right
 * after a start (a fresh shell, an exporter's first scrape) the first sample
 * has nothing to compare with, so another is taken a moment later, up to
 * three times. `stats`, `ps` and `/metrics` all answer from here, so they
 * agree from their first answer (issue 19 item 13: the exporter called a
 * running stock server down on its first scrape, `ps` said `unknown` where
 * `stats --json` said `running (stock)`).
 */
import { MIN_RATE_INTERVAL_MS } from './rates.js';
import type { GroupStats } from './types.js';

export async function settledSample(sample: () => GroupStats): Promise<GroupStats> {
  let g = sample();
  for (let tries = 0; g.ratesPending && tries < 3; tries++) {
    await new Promise((r) => setTimeout(r, MIN_RATE_INTERVAL_MS + 10));
    g = sample();
  }
  return g;
}
