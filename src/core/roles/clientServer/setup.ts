/**
 * What the stock mp_server's init does, for whichever process is primary
 * (an `mpsh server` started alone, or the shell before `spawn server`):
 * MProc_port_info, the mbuf pool, the ports, and one ring per client.
 */
import { createMbufPool } from '../pools.js';
import { UsageError } from '../../util/errors.js';
import { native, type Mempool, type Ring } from '../../dpdk/native.js';
import { csLayout, CsRegion, PortInfoView, returnRingName, ringName } from './region.js';
import { requireQueueLimit } from '../../ports/ports.js';
import { setUpThroughInterface } from '../../ports/portInterface.js';
import { DEFAULT_RING_SIZE, ringSizeOf } from './ringSize.js';

const RING_F_SP_ENQ = 1;
const RING_F_SC_DEQ = 2;
const DESCRIPTORS = 1024;
const POOL_CACHE = 512;

/**
 * The stock formula: room for every RX descriptor, every client ring (full)
 * and TX queue, and every lcore cache. With stock's ring size (128) it is
 * stock's pool; a larger ring gets a larger pool, so full rings never leave
 * the server without mbufs to receive into.
 */
export function poolSize(numPorts: number, numClients: number, ringSize: number): number {
  return DESCRIPTORS * numPorts + numClients * (ringSize + DESCRIPTORS * numPorts) + (numClients + 1) * POOL_CACHE;
}

export interface ClientServerObjects {
  ports: number[];
  pool: Mempool;
  rings: Ring[];
  /** Per client, its return ring; null in a group a stock server made. */
  returnRings: (Ring | null)[];
  /** The client rings' size (they hold one packet less). */
  ringSize: number;
  portInfo: PortInfoView;
  region: CsRegion;
}

/**
 * Creates everything a server and its clients share. Refuses a prefix that
 * already has it. The ports come first after the pool: a port that cannot be
 * set up leaves no MProc_port_info behind (no half-made group to show).
 */
export function createClientServer(
  ports: number[],
  numClients: number,
  strict: boolean,
  ringSize = DEFAULT_RING_SIZE,
): ClientServerObjects & { notes: string[] } {
  const { Mempool: Pool, Ring: RingClass, Memzone } = native();
  if (Memzone.lookup(csLayout().portInfo.zone)) {
    throw new UsageError('this prefix already has a client-server group (MProc_port_info exists): restart its server instead');
  }
  requireQueueLimit(ports, numClients, 'server', (limit) => `${limit.why}: at most ${limit.max} clients`);
  // A pool left by an earlier attempt whose port set-up failed is used again, if it is large enough.
  const wanted = poolSize(ports.length, numClients, ringSize);
  const left = Pool.lookup(csLayout().pool);
  if (left && left.size < wanted) {
    throw new UsageError(
      `${left.name} left by an earlier attempt has ${left.size} mbufs, fewer than ${numClients} clients with rings of ${ringSize} need (${wanted}): ask for smaller rings or fewer clients, or use a new --file-prefix`,
    );
  }
  const pool = left ?? createPool(wanted, `${numClients} clients with rings of ${ringSize}`);
  const notes: string[] = [];
  for (const p of ports) {
    for (const note of setUpThroughInterface(p, () => native().setupServerPort(p, numClients, pool))) notes.push(`port ${p}: ${note}`);
  }
  const portInfo = PortInfoView.create(ports);
  const rings = Array.from(
    { length: numClients },
    (_, i) => RingClass.lookup(ringName(i)) ?? RingClass.create(ringName(i), ringSize, RING_F_SP_ENQ | RING_F_SC_DEQ),
  );
  // Room for the whole pool, so a client's push never fails while no server drains.
  const returnSize = 2 ** Math.ceil(Math.log2(pool.size + 1));
  const returnRings = Array.from(
    { length: numClients },
    (_, i) => RingClass.lookup(returnRingName(i)) ?? RingClass.create(returnRingName(i), returnSize, RING_F_SP_ENQ | RING_F_SC_DEQ),
  );
  const region = CsRegion.open();
  region.configure(numClients, strict);
  return { ports, pool, rings, returnRings, ringSize, portInfo, region, notes };
}

function createPool(n: number, forWhat: string): Mempool {
  return createMbufPool(
    csLayout().pool,
    n,
    POOL_CACHE,
    'clientServer',
    `${n} mbufs for ${forWhat}`,
    'give a smaller --ring-size, fewer clients or more hugepage memory',
  );
}

/** Looks up what a primary created; explains what is missing. */
export function lookupClientServer(prefix: string): ClientServerObjects {
  const { Mempool: Pool, Ring: RingClass } = native();
  const portInfo = PortInfoView.lookup();
  const pool = Pool.lookup(csLayout().pool);
  if (!portInfo || !pool) {
    throw new UsageError(
      `no client-server group in file prefix '${prefix}' (${portInfo ? '' : 'MProc_port_info '}${pool ? '' : csLayout().pool} missing): start \`mpsh server\` as primary, or spawn server from an mpsh shell`,
    );
  }
  const rings: Ring[] = [];
  for (let i = 0; ; i++) {
    const r = RingClass.lookup(ringName(i));
    if (!r) break;
    rings.push(r);
  }
  const returnRings = rings.map((_, i) => RingClass.lookup(returnRingName(i)));
  // The creator's choice (stock: 128); clients take the rings as they are.
  const ringSize = rings[0] ? ringSizeOf(rings[0]) : 0;
  return { ports: portInfo.ports, pool, rings, returnRings, ringSize, portInfo, region: CsRegion.open() };
}
