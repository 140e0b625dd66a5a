import { parkingByPool, parkingLine } from '../core/ports/rxParking.js';
import { abandonedRingOps, poolUsage, type AbandonedRingOp } from '../core/observe/pools.js';
import type { Command } from './types.js';

/** pools: buffers in use per mempool, and how many of them rx descriptors hold (in use beyond that at idle is a leak). */
export const pools: Command = {
  name: 'pools',
  args: '',
  maxArgs: 0,
  summary: 'show each mempool of this prefix: buffers in use and available',
  async run(ctx) {
    const usage = poolUsage();
    const abandoned = await abandonedRingOps();
    if (usage.length === 0) {
      ctx.session.append('output', 'no mempools in this prefix');
      return;
    }
    const parking = parkingByPool(
      usage.map((p) => p.name),
      ctx.control?.sample(),
    );
    for (const p of usage) {
      const cache = p.cache && p.cache.size > 0 ? `, cache ${p.cache.size} per lcore` : '';
      ctx.session.append('output', `${p.name}: ${p.inUse} in use, ${p.available} available, ${p.size} total (${p.ops}${cache})`);
      // One reading, so the figures add up: in use + in the pool + in caches = total.
      const lcores = p.cache && p.cache.lcores > 0 ? ` (of ${p.cache.lcores} lcore${p.cache.lcores === 1 ? '' : 's'})` : '';
      ctx.session.append('output', `  available: ${p.inPool} in the pool, ${p.inCaches} in lcore caches${lcores}`);
      const parked = parkingLine(parking.get(p.name) ?? []);
      if (parked) ctx.session.append('output', `  ${parked}`);
      const c = p.clientRings;
      if (c) ctx.session.append('output', `  client rings: ${c.rings} of size ${c.size} (${c.size - 1} packets each), ${c.waiting} waiting`);
      const r = p.returns;
      if (r) {
        const by = r.draining ? 'drained by the server' : 'no server draining them';
        ctx.session.append(
          'output',
          `  return rings: ${r.rings}, ${r.waiting} waiting (${by}), ${r.returned} returned, ${r.reclaimed} reclaimed from killed processes' caches, ${r.distrusted} dropped from caches of unknown origin`,
        );
      }
      for (const a of abandoned.filter((x) => x.pool === p.name)) ctx.session.append('output', `  ${abandonedLine(a)}`);
    }
  },
};

function abandonedLine(a: AbandonedRingOp): string {
  const n = (one: string, many: string) => `${a.slots} ${a.slots === 1 ? one : many}`;
  const what = a.side === 'put' ? `${n('slot', 'slots')} reserved and never published` : `${n('entry', 'entries')} claimed and never released`;
  const who = a.side === 'put' ? 'producer' : 'consumer';
  return (
    `ring: a ${a.side} left half-done (${what}): every later ${who} of this pool waits forever. ` +
    'A process of this prefix was killed (or is stopped) inside a pool operation: stop the processes that use the pool, then start the server again (an mpsh server repairs the ring as it starts)'
  );
}
