/**
 * The app's part of `stats --json` (snake_case like the rest): ports with
 * ethdev counters, per-queue counters, xstats and what the port is; pools,
 * rings, memzones; processes. 64-bit counters are printed as exact JSON
 * integers (jsonWithBigInts), never rounded through a double.
 */
import type { AppPort, AppProcess, AppView } from './types.js';

const MARK = '\u0000big:';

/** JSON.stringify where BigInts become exact integer literals. */
export function jsonWithBigInts(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `${MARK}${v}` : v)).replace(
    new RegExp(`"${MARK.replace('\u0000', '\\\\u0000')}(\\d+)"`, 'g'),
    '$1',
  );
}

function queues(p: AppPort) {
  const s = p.stats;
  if (!s) return { rx: [], tx: [] };
  return {
    rx: s.qIpackets.map((packets, q) => ({ queue: q, packets, bytes: s.qIbytes[q], errors: s.qErrors[q] })),
    tx: s.qOpackets.map((packets, q) => ({ queue: q, packets, bytes: s.qObytes[q] })),
  };
}

/** One port of the app, as `stats --json` prints it under `ethdev`. */
export function appPortJson(p: AppPort) {
  const s = p.stats;
  const i = p.info;
  return {
    name: p.name,
    ...(i
      ? {
          driver: i.driver,
          rx_queues: i.rxQueues,
          tx_queues: i.txQueues,
          mac: i.mac ?? null,
          mtu: i.mtu ?? null,
          promiscuous: i.promiscuous ?? null,
          link: i.link ? { up: i.link.up, speed_mbps: i.link.speedMbps ?? null, full_duplex: i.link.fullDuplex, autoneg: i.link.autoneg } : null,
        }
      : {}),
    ...(s
      ? {
          ipackets: s.ipackets,
          opackets: s.opackets,
          ibytes: s.ibytes,
          obytes: s.obytes,
          imissed: s.imissed,
          ierrors: s.ierrors,
          oerrors: s.oerrors,
          rx_nombuf: s.rxNombuf,
          rx_pps: Math.round(p.rxPps),
          tx_pps: Math.round(p.txPps),
          rx_bytes_ps: Math.round(p.rxBps),
          tx_bytes_ps: Math.round(p.txBps),
          rx_lost_pps: Math.round(p.rxLostPps),
          queues: queues(p),
          xstats: Object.fromEntries(p.xstats.map((x) => [x.name, x.value])),
        }
      : {}),
    ...(p.error ? { error: p.error } : {}),
  };
}

export function appProcessJson(p: AppProcess) {
  return {
    name: p.name,
    role: p.role,
    pid: p.pid,
    state: p.state,
    uptime_s: Math.round(p.uptimeMs / 1000),
    command: p.cmdline,
    cpu_percent: Math.round(p.cpu * 1000) / 10,
  };
}

/** `pools`, `rings`, `memzones` of `stats --json`. */
export function appObjectsJson(a: AppView) {
  return {
    pools: a.pools.map((m) => ({
      name: m.name,
      size: m.size,
      in_use: m.inUse,
      available: m.available,
      elt_size: m.eltSize,
      cache_size: m.cacheSize,
      ops: m.ops,
      ops_verified: m.opsVerified,
      lcore_caches: m.lcoreCaches,
    })),
    rings: a.rings.map((r) => ({ name: r.name, size: r.size, capacity: r.capacity, count: r.count, free: r.free, flags: r.flags })),
    memzones: a.memzones.map((z) => ({ name: z.name, length: z.length, socket: z.socket, flags: z.flags })),
  };
}
