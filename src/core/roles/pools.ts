/**
 * The mbuf pools mpsh's roles create, and with which mempool ops
 * (observe/pools.ts inspects every pool of the prefix, whoever made it).
 */
import os from 'node:os';
import { DpdkError } from '../util/errors.js';
import { native, type Mempool } from '../dpdk/native.js';

/**
 * Mempool ops for the mbuf pools mpsh creates (MPSH_MBUF_POOL_OPS overrides).
 *
 * With DPDK's default ring, a process SIGKILLed between reserving ring slots
 * and publishing them (most likely while preempted there, on a busy
 * machine) leaves every other process of the prefix spinning forever on its
 * next pool access; stock samples share the hazard. The lock-free stack
 * cannot be blocked by a dead process (at worst a few objects are lost).
 * Symmetric workers allocate and free within their own lcore cache, so the
 * stack costs them nothing measurable and they get it. In client-server
 * every mbuf crosses processes (the server allocates, clients free) and
 * lf_stack halves the throughput (measured 108 vs 54 Mpps), so that pool
 * keeps the ring, and mpsh clients never touch it: they hand their mbufs
 * back through return rings of their own, which only the server drains
 * (native/src/kill_safety/cs_returns.h). Every process loads the same DPDK plugins, so
 * stock processes resolve the same ops.
 */
export function mbufPoolOps(group: 'symmetric' | 'clientServer'): string {
  return process.env.MPSH_MBUF_POOL_OPS || (group === 'symmetric' ? 'lf_stack' : 'ring_mp_mc');
}

/**
 * An mbuf pool with the group's ops. Out of memory, the error says how much
 * was asked for (`asked`) and what to change (`remedy`).
 */
export function createMbufPool(name: string, n: number, cache: number, group: 'symmetric' | 'clientServer', asked: string, remedy: string): Mempool {
  try {
    return native().Mempool.createPktmbuf(name, n, cache, mbufPoolOps(group));
  } catch (err) {
    if (err instanceof DpdkError && err.errno === os.constants.errno.ENOMEM) throw new DpdkError(`${err.message} (${asked}): ${remedy}`, err.errno);
    throw err;
  }
}
