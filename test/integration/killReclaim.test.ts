/**
 * Issue 19 item 14: a kill storm must not drain the client-server pool.
 * A killed client's lcore cache (up to a few hundred mbufs the PMD freed
 * since its last push) was dropped by the next client on that lcore; now
 * it is taken back (native/src/kill_safety/cache_reclaim.h). What a kill
 * still loses is what the client held in flight: one burst from its ring
 * and its TX buffers (32 + 32 per port). And `pools` adds up (item 15).
 */
import assert from 'node:assert/strict';
import { adoptPidsIn, mpsh, mpshShell, removePrefixFiles, uniquePrefix } from '../../harness/proc.js';
import { killStorm } from '../../harness/killStorm.js';

const KILLS = 20;
/** The client kills itself once its cache holds this many (MPSH_TEST_DIE_WITH_CACHE). */
const CACHED = 200;
const IN_FLIGHT = 32 + 2 * 32;

describe('client-server: kill storms and the pool', function () {
  this.timeout(240_000);
  let prefix: string;
  beforeEach(() => (prefix = uniquePrefix('csreclaim')));
  afterEach(() => removePrefixFiles(prefix));

  it(`${KILLS} kills of a client holding ${CACHED}+ mbufs in its cache: each successor takes them back, only in-flight ones stay lost`, async () => {
    const sh = mpsh('csreclaim', ['--file-prefix', prefix], { env: { MPSH_TEST_DIE_WITH_CACHE: String(CACHED) } });
    await sh.waitFor(/simple_mp > /, 20_000);
    const spawned = await sh.command('spawn server --clients 1 --start-clients', 30_000);
    adoptPidsIn(spawned);
    const diedAlready = /client0 \(pid \d+\) killed \(SIGKILL\)/.test(spawned); // it may die before the server is up
    const r = await killStorm(sh, 'client0', KILLS, { dieOnItsOwn: true, others: ['server'], diedAlready });
    process.stderr.write(`      after ${KILLS} kills: ${JSON.stringify(r)}\n`);
    assert.equal(r.dropped, 0, 'nothing dropped from caches: every predecessor was an mpsh client');
    assert.ok(r.reclaimed >= (KILLS - 1) * CACHED, `${r.reclaimed} taken back: each of ${KILLS - 1} successors found ${CACHED}+`);
    // The client before this fix dropped what it found: CACHED+ a kill, in use for good.
    const lost = r.inUse - r.inClientRings;
    assert.ok(
      lost <= KILLS * IN_FLIGHT,
      `${lost} in use (besides ${r.inClientRings} in the dead client's ring) after ${KILLS} kills: more than their bursts and TX buffers`,
    );
    assert.match(await sh.command('logs client0'), /lcore \d+: \d+ mbufs taken back from the cache a killed process left, 0 dropped/);
  });

  it("pools under traffic: in use + what the pool's ring and the lcore caches hold = total, every time (10 reads)", async () => {
    const sh = await mpshShell('csreclaim', ['--file-prefix', prefix]);
    adoptPidsIn(await sh.command('spawn symmetric 2', 30_000));
    for (let i = 0; i < 10; i++) {
      const out = await sh.command('pools');
      const m =
        /^SMP_MBUF_POOL: (\d+) in use, (\d+) available, (\d+) total .*\n {2}available: (\d+) in the pool, (\d+) in lcore caches(?: \(of \d+ lcores?\))?$/m.exec(
          out,
        );
      assert.ok(m, `pools says what is in the pool and in caches:\n${out}`);
      const [inUse, available, total, inPool, inCaches] = m.slice(1).map(Number) as [number, number, number, number, number];
      assert.equal(inUse + available, total, out);
      assert.equal(inPool + inCaches, available, out);
    }
  });
});
