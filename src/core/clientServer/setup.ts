/**
 * What the stock mp_server's init does, for whichever process is primary
 * (an `mpsh server` started alone, or the shell before `spawn server`):
 * MProc_port_info, the mbuf pool, the ports, and one ring per client.
 */
import { mbufPoolOps } from '../pools.js';
import { UsageError } from '../errors.js';
import { native, type Mempool, type Ring } from '../native.js';
import { csLayout, CsRegion, PortInfoView, returnRingName, ringName } from './region.js';
import { requireQueueLimit } from '../ports.js';
import { setUpThroughInterface } from '../portInterface.js';

const RING_SIZE = 128; // CLIENT_QUEUE_RINGSIZE
const RING_F_SP_ENQ = 1;
const RING_F_SC_DEQ = 2;
const DESCRIPTORS = 1024;
const POOL_CACHE = 512;

/** The stock formula: room for every RX descriptor, every client ring and TX queue, and every lcore cache. */
export function poolSize(numPorts: number, numClients: number): number {
  return DESCRIPTORS * numPorts + numClients * (RING_SIZE + DESCRIPTORS * numPorts) + (numClients + 1) * POOL_CACHE;
}

export interface ClientServerObjects {
  ports: number[];
  pool: Mempool;
  rings: Ring[];
  /** Per client, its return ring; null in a group a stock server made. */
  returnRings: (Ring | null)[];
  portInfo: PortInfoView;
  region: CsRegion;
}

/**
 * Creates everything a server and its clients share. Refuses a prefix that
 * already has it. The ports come first after the pool: a port that cannot be
 * set up leaves no MProc_port_info behind (no half-made group to show).
 */
export function createClientServer(ports: number[], numClients: number, strict: boolean): ClientServerObjects & { notes: string[] } {
  const { Mempool: Pool, Ring: RingClass, Memzone } = native();
  if (Memzone.lookup(csLayout().portInfo.zone)) {
    throw new UsageError('this prefix already has a client-server group (MProc_port_info exists): restart its server instead');
  }
  requireQueueLimit(ports, numClients, 'server', (limit) => `${limit.why}: at most ${limit.max} clients`);
  // A pool left by an earlier attempt whose port set-up failed is used again.
  const pool = Pool.lookup(csLayout().pool) ?? Pool.createPktmbuf(csLayout().pool, poolSize(ports.length, numClients), POOL_CACHE, mbufPoolOps('clientServer'));
  const notes: string[] = [];
  for (const p of ports) {
    for (const note of setUpThroughInterface(p, () => native().setupServerPort(p, numClients, pool))) notes.push(`port ${p}: ${note}`);
  }
  const portInfo = PortInfoView.create(ports);
  const rings = Array.from(
    { length: numClients },
    (_, i) => RingClass.lookup(ringName(i)) ?? RingClass.create(ringName(i), RING_SIZE, RING_F_SP_ENQ | RING_F_SC_DEQ),
  );
  // Room for the whole pool, so a client's push never fails while no server drains.
  const returnSize = 2 ** Math.ceil(Math.log2(pool.size + 1));
  const returnRings = Array.from(
    { length: numClients },
    (_, i) => RingClass.lookup(returnRingName(i)) ?? RingClass.create(returnRingName(i), returnSize, RING_F_SP_ENQ | RING_F_SC_DEQ),
  );
  const region = CsRegion.open();
  region.configure(numClients, strict);
  return { ports, pool, rings, returnRings, portInfo, region, notes };
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
  return { ports: portInfo.ports, pool, rings, returnRings, portInfo, region: CsRegion.open() };
}
