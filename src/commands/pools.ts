import { poolUsage } from '../core/pools.js';
import type { Command } from './types.js';

/** pools: buffers in use per mempool; 0 in use when idle means nothing leaked. */
export const pools: Command = {
  name: 'pools',
  args: '',
  maxArgs: 0,
  summary: 'show each mempool of this prefix: buffers in use and available',
  run(ctx) {
    const usage = poolUsage();
    if (usage.length === 0) {
      ctx.session.append('output', 'no known mempools in this prefix');
      return;
    }
    for (const p of usage) {
      ctx.session.append('output', `${p.name}: ${p.inUse} in use, ${p.available} available, ${p.size} total (${p.ops})`);
      const c = p.clientRings;
      if (c) ctx.session.append('output', `  client rings: ${c.rings} of size ${c.size} (${c.size - 1} packets each), ${c.waiting} waiting`);
      const r = p.returns;
      if (r) {
        const by = r.draining ? 'drained by the server' : 'no server draining them';
        ctx.session.append(
          'output',
          `  return rings: ${r.rings}, ${r.waiting} waiting (${by}), ${r.returned} returned, ${r.distrusted} dropped from killed clients' caches`,
        );
      }
    }
  },
};
