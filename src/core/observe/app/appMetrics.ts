/**
 * Prometheus families for any app of the prefix (testpmd, l2fwd, your
 * own), next to mpsh's own in metrics.ts, filled from the same snapshot:
 *
 *   mpsh_app_process_up / _cpu_seconds_total   {process, role}
 *   mpsh_ethdev_{rx,tx}_{packets,bytes}_total, mpsh_ethdev_rx_{missed,errors,nombuf}_total,
 *   mpsh_ethdev_tx_errors_total, mpsh_ethdev_link_up              {port, name}
 *   mpsh_ethdev_queue_{rx,tx}_{packets,bytes}_total               {port, name, queue}
 *   mpsh_ethdev_xstat                                             {port, name, xstat}
 *   mpsh_mempool_{size,in_use,available}                          {pool}
 *   mpsh_ring_{capacity,entries,free}                               {ring}
 *
 * Bounded series: xstats are one gauge family (drivers mix counters and
 * gauges among them), at most XSTATS_PER_PORT per port in the driver's
 * order, names sanitized to [a-z0-9_] and cut at 64 characters; rings at
 * most MAX_RINGS (by name). Every `_total` only grows: a counter that goes
 * back (the app reset its stats, restarted its port or itself) continues
 * from where it was (Monotonic).
 */
import type { Counter, Gauge } from 'prom-client';
import type { GroupStats } from '../stats/types.js';
import type { EthStats, MempoolEntry, RingEntry } from './types.js';

export const XSTATS_PER_PORT = 128;
export const MAX_RINGS = 256;

type Fill<M> = (m: M, s: GroupStats) => void;
export type FamilyFn<M> = (name: string, help: string, labelNames: string[], fill: Fill<M>) => M;

/** Exported totals that survive the source going back to 0. */
export class Monotonic {
  private readonly seen = new Map<string, { last: bigint; base: bigint }>();

  value(key: string, v: bigint): number {
    const s = this.seen.get(key) ?? { last: 0n, base: 0n };
    if (v < s.last) s.base += s.last;
    s.last = v;
    this.seen.set(key, s);
    return Number(s.base + v);
  }
}

export function xstatLabel(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
    .slice(0, 64);
}

export function registerAppFamilies(counter: FamilyFn<Counter>, gauge: FamilyFn<Gauge>): void {
  const mono = new Monotonic();
  const cpuMono = new Monotonic(); // in ticks (1/100 s), whole numbers for BigInt
  const total = (m: Counter, labels: Record<string, string>, key: string, v: bigint) => m.inc(labels, mono.value(key, v));
  const procLabels = ['process', 'role'];
  gauge('mpsh_app_process_up', "Whether a process of the app's prefix runs (1) or is stopped or a zombie (0)", procLabels, (m, s) => {
    for (const p of s.app?.processes ?? []) m.set({ process: p.name, role: p.role }, p.state.startsWith('running') ? 1 : 0);
  });
  counter('mpsh_app_process_cpu_seconds_total', "CPU time (user + system) of a process of the app's prefix", procLabels, (m, s) => {
    for (const p of s.app?.processes ?? [])
      m.inc({ process: p.name, role: p.role }, cpuMono.value(`cpu:${p.name}`, BigInt(Math.round(p.cpuSeconds * 100))) / 100);
  });
  const portFamily = (name: string, help: string, pick: (st: EthStats) => bigint) =>
    counter(name, help, ['port', 'name'], (m, s) => {
      for (const p of s.app?.ports ?? []) if (p.stats) total(m, { port: String(p.port), name: p.name }, `${name}:${p.port}:${p.name}`, pick(p.stats));
    });
  portFamily('mpsh_ethdev_rx_packets_total', 'Packets received on the port (rte_eth_stats ipackets)', (st) => st.ipackets);
  portFamily('mpsh_ethdev_tx_packets_total', 'Packets sent on the port (opackets)', (st) => st.opackets);
  portFamily('mpsh_ethdev_rx_bytes_total', 'Bytes received on the port (ibytes)', (st) => st.ibytes);
  portFamily('mpsh_ethdev_tx_bytes_total', 'Bytes sent on the port (obytes)', (st) => st.obytes);
  portFamily('mpsh_ethdev_rx_missed_total', 'Packets the port dropped because no RX descriptor was free (imissed)', (st) => st.imissed);
  portFamily('mpsh_ethdev_rx_errors_total', 'Erroneous packets received (ierrors)', (st) => st.ierrors);
  portFamily('mpsh_ethdev_tx_errors_total', 'Packets the port failed to send (oerrors)', (st) => st.oerrors);
  portFamily('mpsh_ethdev_rx_nombuf_total', 'RX mbuf allocation failures (rx_nombuf): the mempool ran dry', (st) => st.rxNombuf);
  gauge('mpsh_ethdev_link_up', 'Whether the port link is up (1) or down (0)', ['port', 'name'], (m, s) => {
    for (const p of s.app?.ports ?? []) if (p.info?.link) m.set({ port: String(p.port), name: p.name }, p.info.link.up ? 1 : 0);
  });
  const queueFamily = (name: string, help: string, pick: (st: EthStats) => bigint[]) =>
    counter(name, help, ['port', 'name', 'queue'], (m, s) => {
      for (const p of s.app?.ports ?? [])
        if (p.stats) pick(p.stats).forEach((v, q) => total(m, { port: String(p.port), name: p.name, queue: String(q) }, `${name}:${p.port}:${p.name}:${q}`, v));
    });
  queueFamily('mpsh_ethdev_queue_rx_packets_total', 'Packets received on one RX queue (where the driver counts per queue)', (st) => st.qIpackets);
  queueFamily('mpsh_ethdev_queue_tx_packets_total', 'Packets sent on one TX queue', (st) => st.qOpackets);
  queueFamily('mpsh_ethdev_queue_rx_bytes_total', 'Bytes received on one RX queue', (st) => st.qIbytes);
  queueFamily('mpsh_ethdev_queue_tx_bytes_total', 'Bytes sent on one TX queue', (st) => st.qObytes);
  gauge('mpsh_ethdev_xstat', `Driver extended statistics (xstats), first ${XSTATS_PER_PORT} per port, names sanitized`, ['port', 'name', 'xstat'], (m, s) => {
    for (const p of s.app?.ports ?? [])
      for (const x of p.xstats.slice(0, XSTATS_PER_PORT)) m.set({ port: String(p.port), name: p.name, xstat: xstatLabel(x.name) }, Number(x.value));
  });
  const poolGauge = (name: string, help: string, pick: (p: MempoolEntry) => number) =>
    gauge(name, help, ['pool'], (m, s) => {
      for (const p of s.app?.pools ?? []) m.set({ pool: p.name }, pick(p));
    });
  poolGauge('mpsh_mempool_size', 'Objects the mempool holds in all', (p) => p.size);
  poolGauge('mpsh_mempool_in_use', 'Objects taken out of the mempool (not in it nor in any lcore cache)', (p) => p.inUse);
  poolGauge('mpsh_mempool_available', 'Objects in the mempool, lcore caches included', (p) => p.available);
  const ringGauge = (name: string, help: string, pick: (r: RingEntry) => number) =>
    gauge(name, help, ['ring'], (m, s) => {
      for (const r of (s.app?.rings ?? []).slice(0, MAX_RINGS)) m.set({ ring: r.name }, pick(r));
    });
  ringGauge('mpsh_ring_capacity', 'Entries the ring can hold', (r) => r.capacity);
  ringGauge('mpsh_ring_entries', 'Entries in the ring now', (r) => r.count);
  ringGauge('mpsh_ring_free', 'Free entries in the ring now', (r) => r.free);
}
