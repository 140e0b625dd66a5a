/** The mempools of the three multi-process samples, as any process of the prefix sees them. */
import { native } from './native.js';

/**
 * Mempool ops for the mbuf pools mpsh creates. With the default ring, a
 * process SIGKILLed between reserving ring slots and publishing them (most
 * likely while preempted there, on a busy machine) leaves every other
 * process of the prefix spinning forever on its next pool access. The
 * lock-free stack cannot block others whatever point a process dies at (at
 * worst a few objects are lost). Every process loads the same DPDK plugins,
 * so stock processes resolve the same ops.
 */
export const MBUF_POOL_OPS = 'lf_stack';

export const KNOWN_POOLS = ['MSG_POOL', 'SMP_MBUF_POOL', 'MProc_pktmbuf_pool'] as const;

export interface PoolUsage {
  name: string;
  ops: string;
  size: number;
  inUse: number;
  available: number;
}

/** Usage of every known pool that exists in this prefix. Counts include every process's lcore caches. */
export function poolUsage(): PoolUsage[] {
  const out: PoolUsage[] = [];
  for (const name of KNOWN_POOLS) {
    const p = native().Mempool.lookup(name);
    if (p) out.push({ name, ops: p.ops, size: p.size, inUse: p.inUseCount(), available: p.availCount() });
  }
  return out;
}
