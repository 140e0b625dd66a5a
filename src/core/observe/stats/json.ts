/** The documented `stats --json` shape: snake_case, one object on one line. */
import { appObjectsJson, appPortJson, appProcessJson, jsonWithBigInts } from '../app/json.js';
import type { GroupStats, PortRow, ProcessRow } from './types.js';

/** The documented `stats --json` shape. */
export function statsJson(g: GroupStats): string {
  const port = (p: PortRow) => ({ port: p.port, rx: p.rx, tx: p.tx, drop: p.drop, rx_pps: Math.round(p.rxPps), tx_pps: Math.round(p.txPps) });
  const perRole = (r: ProcessRow) => {
    if (r.role === 'server')
      return { ports: r.ports.map((p) => ({ port: p.port, rx: p.rx, rx_pps: Math.round(p.rxPps) })), no_client_drop: r.noClientDrop ?? 0 };
    if (r.client) {
      const c = r.client;
      return {
        client: c.id,
        rx: c.rx,
        rx_drop: c.rxDrop,
        tx: c.tx,
        tx_drop: c.txDrop,
        rx_pps: Math.round(c.rxPps),
        tx_pps: Math.round(c.txPps),
        skipped: c.skipped,
        ports: r.ports.map((p) => ({ port: p.port, tx: p.tx, tx_drop: p.drop })),
      };
    }
    return { ports: r.ports.map(port) };
  };
  // Every port id either side knows: mpsh's own counters and the app's ethdev view.
  const ids = [...new Set([...g.ports.map((p) => p.port), ...(g.app?.ports ?? []).map((p) => p.port)])].sort((a, b) => a - b);
  const ports = ids.map((id) => {
    const mine = g.ports.find((p) => p.port === id);
    const ethdev = g.app?.ports.find((p) => p.port === id);
    return { ...(mine ? port(mine) : { port: id }), ...(ethdev ? { ethdev: appPortJson(ethdev) } : {}) };
  });
  return jsonWithBigInts({
    processes: [
      ...g.processes.map((r) => ({
        name: r.name,
        role: r.role,
        ...(r.procId !== undefined ? { proc_id: r.procId } : {}),
        pid: r.pid,
        state: r.state,
        uptime_s: Math.round(r.uptimeMs / 1000),
        ...(r.idle !== undefined ? { idle: r.idle } : {}),
        ...(r.idlePolicy ? { idle_policy: r.idlePolicy.mode, idle_wait: r.idlePolicy.waitsOn, idle_forecast_us: r.idlePolicy.forecastUs } : {}),
        ...perRole(r),
      })),
      ...(g.app?.processes ?? []).map(appProcessJson),
    ],
    ports,
    ...(g.app ? appObjectsJson(g.app) : {}),
    ...(g.drops ? { drops: { ring_full: g.drops.ringFull, no_client: g.drops.noClient } } : {}),
  });
}
