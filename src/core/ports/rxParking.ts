/**
 * Mbufs parked in rx descriptors: some drivers hand every rx descriptor an
 * mbuf when the queue is set up and refill it as packets arrive, so their
 * pool shows that many in use at idle. `pools` subtracts them, so "in use
 * beyond the parked" is what means a leak. Drivers that report their rx
 * queues (rte_eth_rx_queue_info_get: most NIC drivers) say exactly how many
 * descriptors and which pool; the vdevs do not, and follow a rule each.
 */
import { native } from '../dpdk/native.js';
import type { GroupStats } from '../observe/stats/types.js';

/**
 * Descriptors per rx queue that mpsh's roles ask for (native kRingSize,
 * kDescriptors), as the stock samples do (RX_RING_SIZE, RTE_MP_RX_DESC_DEFAULT).
 */
const REQUESTED_DESCRIPTORS = 1024;

/**
 * What each vdev parks per rx queue, given the descriptors asked for.
 * net_tap reads a packet into an iovec chain with one mbuf per descriptor,
 * all allocated at set-up; iovec[0] is the tun header, so at most IOV_MAX-1
 * (1023). net_null, net_ring and net_pcap allocate per received packet.
 */
const VDEV_RULES: Record<string, { parks: (descriptors: number) => number; rule: string }> = {
  net_tap: { parks: (d) => Math.min(d, 1023), rule: 'one mbuf per rx descriptor, at most 1023 a queue, taken at set-up' },
  net_null: { parks: () => 0, rule: 'none: it allocates per received packet' },
  net_ring: { parks: () => 0, rule: 'none: packets arrive as mbufs already' },
  net_pcap: { parks: () => 0, rule: 'none: it allocates per packet read' },
};

export interface PortParking {
  port: number;
  driver: string;
  rxQueues: number;
  /** Mbufs parked in its rx descriptors; null when neither the driver nor a rule tells. */
  parked: number | null;
  /** The pool they come from when the driver reports it. */
  pool: string | null;
  /** How it was found: the driver's own report, or the rule for the driver. */
  how: string;
}

export function portParking(port: number, driver: string): PortParking {
  // A port nobody started has no filled descriptors; asking its queues would
  // only make ethdev log "Rx queue 0 ... has not been setup" onto the screen.
  if (native().portStartedShared(port) === false) return { port, driver, rxQueues: 0, parked: 0, pool: null, how: 'not started' };
  const fill = native().rxQueueFill(port);
  if (fill.queues && fill.queues.length > 0) {
    const parked = fill.queues.reduce((a, q) => a + q.descriptors, 0);
    return { port, driver, rxQueues: fill.rxQueues, parked, pool: fill.queues[0]!.pool, how: 'as the driver reports its rx queues' };
  }
  const rule = VDEV_RULES[driver];
  if (!rule) return { port, driver, rxQueues: fill.rxQueues, parked: null, pool: null, how: 'the driver does not report its rx queues' };
  return { port, driver, rxQueues: fill.rxQueues, parked: fill.rxQueues * rule.parks(REQUESTED_DESCRIPTORS), pool: null, how: rule.rule };
}

/** A `pools` line: how many of a pool's in-use mbufs sit in rx descriptors, port by port, and each driver's rule. */
export function parkingLine(ports: PortParking[]): string | null {
  if (ports.length === 0) return null;
  const total = ports.reduce((a, p) => a + (p.parked ?? 0), 0);
  const each = ports.map((p) => {
    const queues = `${p.rxQueues} rx queue${p.rxQueues === 1 ? '' : 's'}`;
    return p.parked === null ? `port ${p.port}: unknown` : `port ${p.port}: ${queues} x ${p.parked / Math.max(1, p.rxQueues)}`;
  });
  const rules = [...new Set(ports.map((p) => `${p.driver}: ${p.how}`))];
  return `parked in rx descriptors: ${total} (${each.join(', ')}; ${rules.join('; ')}); in use beyond that at idle is a leak`;
}

const POOL_OF_ROLE: Record<string, string> = { symmetric: 'SMP_MBUF_POOL', server: 'MProc_pktmbuf_pool' };

/**
 * Each mbuf pool's ports, with what they park: the pool the driver reports,
 * else the only mbuf pool of the prefix, else the pool of the role whose
 * processes set the port up (symmetric workers, the server).
 */
export function parkingByPool(pools: string[], group: GroupStats | undefined): Map<string, PortParking[]> {
  const mbufPools = pools.filter((p) => Object.values(POOL_OF_ROLE).includes(p));
  const out = new Map<string, PortParking[]>(mbufPools.map((p) => [p, []]));
  for (const { port, driver } of native().ethPorts()) {
    const parking = portParking(port, driver ?? 'unknown');
    if (parking.rxQueues === 0) continue;
    let pool = parking.pool ?? (mbufPools.length === 1 ? mbufPools[0] : undefined);
    const setBy = group?.processes.find((r) => POOL_OF_ROLE[r.role] && r.ports.some((p) => p.port === port));
    pool ??= setBy ? POOL_OF_ROLE[setBy.role] : undefined;
    if (pool) out.get(pool)?.push(parking);
  }
  return out;
}
