/**
 * Every total only grows for the life of the group: a restarted or exited
 * worker's counts stay in the port totals and in every `*_total` series,
 * read by `stats --json` and by a scraper polling `/metrics` all along
 * (Prometheus takes any dip for a counter reset and invents a rate).
 */
import assert from 'node:assert/strict';
import { adoptPidsIn, mpshShell, removePrefixFiles, sleep, uniquePrefix } from '../../harness/proc.js';
import { freePort, scrape, totals } from '../helpers/metrics.js';
import { proc, rxOf, statsOf, statsUntil, type StatsJson } from '../helpers/stats.js';

/** Each series' first dip below a value it had before, or null. */
function firstDip(readings: Map<string, number>[]): string | null {
  const high = new Map<string, number>();
  for (const [i, r] of readings.entries()) {
    for (const [k, v] of r) {
      const h = high.get(k) ?? 0;
      if (v < h) return `${k} went from ${h} to ${v} at reading ${i}`;
      high.set(k, v);
    }
  }
  return null;
}

const portTotals = (s: StatsJson) => new Map(s.ports.flatMap((p) => ['rx', 'tx', 'drop'].map((k) => [`port ${p.port} ${k}`, p[k as 'rx'] as number])));

describe('totals never go back', function () {
  let prefix: string;
  beforeEach(() => (prefix = uniquePrefix('mono')));
  afterEach(() => removePrefixFiles(prefix));

  it('restart and exit of symmetric workers on net_null: port totals and every *_total only grow', async () => {
    const port = await freePort();
    const sh = await mpshShell('shell', ['--file-prefix', prefix, '--', '--metrics', `127.0.0.1:${port}`]);
    adoptPidsIn(await sh.command('spawn symmetric 2'));
    await statsUntil(sh, (s) => ['sym0', 'sym1'].every((n) => rxOf(proc(s, n)) > 0), 10_000, 'both workers forwarding');
    // Long enough that a restarted sym0 needs a while to count as much again.
    await sleep(2000);

    // A scraper all along, as Prometheus would be, including while restart runs.
    const scraped: Map<string, number>[] = [];
    let scraping = true;
    const scraper = (async () => {
      while (scraping) {
        scraped.push(totals(await scrape(port)));
        await sleep(50);
      }
    })();
    const stats: Map<string, number>[] = [portTotals(await statsOf(sh))];
    const before = await statsOf(sh);
    let duringRestart = 0;
    try {
      const scrapedBefore = scraped.length;
      adoptPidsIn(await sh.command('restart sym0', 30_000));
      duringRestart = scraped.length - scrapedBefore;
      for (let i = 0; i < 5; i++) stats.push(portTotals(await statsOf(sh)));
      await statsUntil(sh, (s) => proc(s, 'sym0').state === 'running' && proc(s, 'sym0').pid !== proc(before, 'sym0').pid, 10_000, 'sym0 back');
      stats.push(portTotals(await statsOf(sh)));
      assert.match(await sh.command('kill sym1'), /sym1 stopped/);
      for (let i = 0; i < 5; i++) stats.push(portTotals(await statsOf(sh)));
      await sleep(300);
      // Enough readings after the exit too, however fast the steps above went (a fast run once had 9 in all).
      for (const deadline = Date.now() + 5000; scraped.length <= 10 && Date.now() < deadline;) await sleep(50);
    } finally {
      scraping = false;
      await scraper;
    }
    assert.ok(scraped.length > 10, `scraped ${scraped.length} times`);
    assert.ok(duringRestart >= 1, `scraped ${duringRestart} times while sym0 restarted`);
    assert.equal(firstDip(stats), null, 'stats --json port totals');
    assert.equal(firstDip(scraped), null, '/metrics *_total series');
    // sym1 exited and sym0 restarted: what each counted is still theirs, and in the port totals.
    const after = await statsOf(sh);
    assert.match(proc(after, 'sym1').state, /^exited/);
    for (const n of ['sym0', 'sym1']) assert.ok(rxOf(proc(after, n)) >= rxOf(proc(before, n)), `${n} keeps its counts`);
    assert.equal(rxOf({ ports: after.ports }), rxOf(proc(after, 'sym0')) + rxOf(proc(after, 'sym1')));
  });
});
