/**
 * Where packets went in a client-server group that the port totals cannot
 * show: the server drops what it received when a client's ring is full or
 * no client is alive, before any port's tx. Without them port rx against
 * tx + DROP goes unexplained (rx 208M, tx 74M, DROP 0).
 */
import { human } from '../../util/units.js';
import type { GroupDrops, ProcessRow } from './types.js';

const finite = (n: number) => (Number.isFinite(n) ? n : 0);

/** The group's drops between rx and tx, or undefined without a client-server group. */
export function groupDrops(rows: readonly ProcessRow[]): GroupDrops | undefined {
  const cs = rows.filter((r) => r.role === 'server' || r.client);
  if (cs.length === 0) return undefined;
  return {
    ringFull: cs.reduce((a, r) => a + finite(r.client?.rxDrop ?? 0), 0),
    noClient: cs.reduce((a, r) => a + (r.noClientDrop ?? 0), 0),
  };
}

/** One line under the port totals (panel and `stats`). */
export function groupDropsLine(d: GroupDrops): string {
  return `dropped before tx: ring full ${human(d.ringFull)}, no client ${human(d.noClient)} (port rx = tx + DROP + these + in rings)`;
}
