/**
 * The mempools of the three multi-process samples as any process of the
 * prefix sees them (`pools`): usage, the client-server rings that hold
 * their mbufs, and ring operations a killed process left half-done.
 */
import { csLayout, CsRegion, maxClients, returnRingName, ringName } from '../roles/clientServer/region.js';
import { ringSizeOf } from '../roles/clientServer/ringSize.js';
import { SIMPLE_MP } from '../roles/simpleMp/messages.js';
import { SymStatsRegion } from '../roles/symmetric/statsRegion.js';
import { native, type RingCursors } from '../dpdk/native.js';

/** The pools of simple_mp, symmetric_mp and client_server_mp, by their stock names. */
export const knownPools = (): string[] => [SIMPLE_MP.pool, SymStatsRegion.layout().pool, csLayout().pool];

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
  /** Per-lcore caches: their size, and what they hold now (counted as available) in how many lcores. */
  cache?: { size: number; held: number; lcores: number };
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
  for (let c = 0; c < maxClients(); c++) {
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

/**
 * Usage of every mempool of this prefix, whoever created it (the walk of
 * native/src/observe/walks.cc). Counts include every process's lcore
 * caches. Ops are named from the pool's backing ring or stack; a name only
 * this process's ops table gave (another process may number them
 * differently) is marked with "?".
 */
export function poolUsage(): PoolUsage[] {
  const out: PoolUsage[] = [];
  for (const p of native().mempoolList()) {
    // One reading of the free counts: two (in use, then available) do not add up under traffic.
    const counts = native().Mempool.lookup(p.name)?.counts() ?? { inPool: p.available, inCaches: 0 };
    const available = Math.min(p.size, counts.inPool + counts.inCaches);
    const usage: PoolUsage = {
      name: p.name,
      ops: p.opsVerified ? p.ops : `${p.ops}?`,
      size: p.size,
      inUse: p.size - available,
      available,
      inPool: counts.inPool,
      inCaches: counts.inCaches,
    };
    usage.cache = { size: p.cacheSize, held: p.lcoreCaches.reduce((a, c) => a + c.count, 0), lcores: p.lcoreCaches.length };
    if (p.name === csLayout().pool) {
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
  for (const name of knownPools()) {
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
