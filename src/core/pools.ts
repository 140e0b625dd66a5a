/** The mempools of the three multi-process samples, as any process of the prefix sees them. */
import { native } from './native.js';

export const KNOWN_POOLS = ['MSG_POOL', 'SMP_MBUF_POOL', 'MProc_pktmbuf_pool'] as const;

export interface PoolUsage {
  name: string;
  size: number;
  inUse: number;
  available: number;
}

/** Usage of every known pool that exists in this prefix. Counts include every process's lcore caches. */
export function poolUsage(): PoolUsage[] {
  const out: PoolUsage[] = [];
  for (const name of KNOWN_POOLS) {
    const p = native().Mempool.lookup(name);
    if (p) out.push({ name, size: p.size, inUse: p.inUseCount(), available: p.availCount() });
  }
  return out;
}
