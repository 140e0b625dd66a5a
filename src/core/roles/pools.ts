/** The mempools of the three multi-process samples, as any process of the prefix sees them. */
import { CsRegion, returnRingName, ringName } from './clientServer/region.js';
import { MAX_CLIENTS } from './clientServer/args.js';
import { ringSizeOf } from './clientServer/ringSize.js';
import os from 'node:os';
import { DpdkError } from '../util/errors.js';
import { native, type Mempool, type RingCursors } from '../dpdk/native.js';

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
 * (native/src/cs_returns.h). Every process loads the same DPDK plugins, so
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

export const KNOWN_POOLS = ['MSG_POOL', 'SMP_MBUF_POOL', 'MProc_pktmbuf_pool'] as const;

export interface PoolUsage {
  name: string;
  ops: string;
  size: number;
  /** size - available, from the same reading. */
  inUse: number;
  /** inPool + inCaches. */
  available: number;
  /** Free in the pool's ring or stack. */
  inPool: number;
  /** Free in the lcore caches of every process (a dead process's too, until the next user of its lcore takes them). */
  inCaches: number;
  /** MProc_pktmbuf_pool in a group an mpsh server made: what its clients' return rings hold and have carried. */
  returns?: ReturnRingUsage;
  /** MProc_pktmbuf_pool: the client rings MProc_Client_<i>_RX, whoever made them. */
  clientRings?: ClientRingUsage;
}

export interface ClientRingUsage {
  rings: number;
  /** Each ring's size (the creator's choice: stock 128); it holds one packet less. */
  size: number;
  /** Packets waiting in them now (counted as in use). */
  waiting: number;
}

function clientRingUsage(): ClientRingUsage | undefined {
  const usage: ClientRingUsage = { rings: 0, size: 0, waiting: 0 };
  for (let c = 0; c < MAX_CLIENTS; c++) {
    const ring = native().Ring.lookup(ringName(c));
    if (!ring) break;
    usage.rings++;
    usage.size = Math.max(usage.size, ringSizeOf(ring));
    usage.waiting += ring.count();
  }
  return usage.rings > 0 ? usage : undefined;
}

export interface ReturnRingUsage {
  rings: number;
  /** Mbufs in the return rings now, on their way back to the pool (counted as in use). */
  waiting: number;
  returned: bigint;
  /** Found in a client's lcore cache at its start and dropped, never freed (left by a process of unknown kind). */
  distrusted: bigint;
  /** Found in an lcore cache a killed mpsh process left, and taken back into use. */
  reclaimed: bigint;
  /** An mpsh server drains them now. */
  draining: boolean;
}

function returnRingUsage(): ReturnRingUsage | undefined {
  const region = CsRegion.lookup();
  if (!region?.valid) return undefined;
  const usage: ReturnRingUsage = { rings: 0, waiting: 0, returned: 0n, distrusted: 0n, reclaimed: region.serverReclaimed, draining: region.returnsOn };
  for (let c = 0; c < region.numClients; c++) {
    const ring = native().Ring.lookup(returnRingName(c));
    if (!ring) continue;
    usage.rings++;
    usage.waiting += ring.count();
    usage.returned += region.returned(c);
    usage.distrusted += region.distrusted(c);
    usage.reclaimed += region.reclaimed(c);
  }
  return usage.rings > 0 ? usage : undefined;
}

/** Usage of every known pool that exists in this prefix. Counts include every process's lcore caches. */
export function poolUsage(): PoolUsage[] {
  const out: PoolUsage[] = [];
  for (const name of KNOWN_POOLS) {
    const p = native().Mempool.lookup(name);
    if (!p) continue;
    // One reading: two (in use, then available) do not add up under traffic.
    const { inPool, inCaches } = p.counts();
    const available = Math.min(p.size, inPool + inCaches);
    const usage: PoolUsage = { name, ops: p.ops, size: p.size, inUse: p.size - available, available, inPool, inCaches };
    if (name === 'MProc_pktmbuf_pool') {
      usage.clientRings = clientRingUsage();
      usage.returns = returnRingUsage();
    }
    out.push(usage);
  }
  return out;
}

/** A pool ring operation a process began and never finished. */
export interface AbandonedRingOp {
  pool: string;
  /** put: slots reserved and never published; get: entries claimed and never released. */
  side: 'put' | 'get';
  slots: number;
}

const same = (a: RingCursors, b: RingCursors) =>
  a.prodHead === b.prodHead && a.prodTail === b.prodTail && a.consHead === b.consHead && a.consTail === b.consTail;

/**
 * Ring operations on the known pools that stay half-done for `stillMs`: a
 * process killed (or stopped) between moving a head and publishing its tail.
 * A live one finishes in nanoseconds, so a half-done ring that does not move
 * at all for that long is abandoned; every later producer (or consumer) of
 * the pool then spins forever. Two reads `stillMs` apart.
 */
export async function abandonedRingOps(stillMs = 100): Promise<AbandonedRingOp[]> {
  const first = new Map<string, RingCursors>();
  for (const name of KNOWN_POOLS) {
    const c = native().Mempool.lookup(name)?.ringCursors();
    if (c && (c.prodHead !== c.prodTail || c.consHead !== c.consTail)) first.set(name, c);
  }
  if (first.size === 0) return [];
  await new Promise((r) => setTimeout(r, stillMs));
  const out: AbandonedRingOp[] = [];
  for (const [name, a] of first) {
    const b = native().Mempool.lookup(name)?.ringCursors();
    if (!b || !same(a, b)) continue;
    // Unsigned 32-bit distance: the cursors wrap.
    if (b.prodHead !== b.prodTail) out.push({ pool: name, side: 'put', slots: (b.prodHead - b.prodTail) >>> 0 });
    if (b.consHead !== b.consTail) out.push({ pool: name, side: 'get', slots: (b.consHead - b.consTail) >>> 0 });
  }
  return out;
}
