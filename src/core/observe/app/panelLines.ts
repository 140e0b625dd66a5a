/**
 * The app's part of the live panel, under mpsh's own rows: a line per
 * ethdev port no mpsh role counts (counters, rates, lost packets, the last
 * minute of rx/s) and a line per process of the prefix not one of mpsh's.
 */
import { duration, human } from '../../util/units.js';
import { ethdevHistoryKey, sparkline, type RateHistory } from '../stats/history.js';
import type { GroupStats, PanelLine } from '../stats/types.js';

const W = 7;

/**
 * Whether the panel has anything to show: mpsh's rows, or another app's
 * processes (and with them its ports). A shell alone on its own idle ports,
 * or beside other mpsh shells, shows none: `list`, `ps` and `stats` name
 * them, and the screen stays the prompt's.
 */
export function panelHasRows(g: GroupStats): boolean {
  return g.processes.length > 0 || (g.app?.processes ?? []).some((p) => !p.mpsh);
}

export function appPanelLines(g: GroupStats, history: RateHistory | null, width: number): PanelLine[] {
  const a = g.app;
  // Ports mpsh's own roles forward on are in the port totals already: the
  // panel keeps its rows for them (`stats` and `show port` have ethdev's view).
  const ports = (a?.ports ?? []).filter((p) => !g.ports.some((t) => t.port === p.port));
  if (!a || (ports.length === 0 && a.processes.length === 0)) return [];
  const lines: PanelLine[] = [];
  if (ports.length > 0) {
    const nameW = Math.max(4, ...ports.map((p) => `${p.port} ${p.name}`.length));
    const fixed = [`${'PORT'.padEnd(nameW)}`, ...['RX', 'TX', 'RX/s', 'TX/s', 'LOST'].map((t) => t.padStart(W))].join(' ');
    const room = width - fixed.length - 1;
    const histW = Math.min(60, room);
    lines.push({ text: `${fixed}${histW >= 10 ? ` ${'RX/s, last 60 s'.slice(0, histW)}` : ''}`.slice(0, width), bold: true });
    for (const p of ports) {
      const s = p.stats;
      const lost = s ? s.imissed + s.ierrors + s.rxNombuf : 0n;
      const cells = s ? [human(s.ipackets), human(s.opackets), human(p.rxPps), human(p.txPps), human(lost)] : ['-', '-', '-', '-', '-'];
      const pts = history?.of(ethdevHistoryKey(p.port, p.name))?.points ?? [];
      const spark = histW >= 10 ? ` ${sparkline(pts, (x) => x.rx, histW, g.at)}` : '';
      const text = [`${p.port} ${p.name}`.padEnd(nameW), ...cells.map((c) => c.padStart(W))].join(' ') + (p.error ? ` ${p.error}` : spark);
      lines.push({ text: text.slice(0, width).trimEnd(), tone: p.error ? 'bad' : lost > 0n && p.rxLostPps > 0 ? 'busy' : 'ok' });
    }
  }
  for (const p of [...a.processes].sort((x, y) => Number(y.primary) - Number(x.primary) || x.pid - y.pid)) {
    const text = `${p.role} ${p.name} pid ${p.pid} ${p.state} up ${duration(p.uptimeMs)} CPU ${(p.cpu * 100).toFixed(0)}%`;
    lines.push({ text: text.slice(0, width), tone: p.state.startsWith('running') ? 'ok' : 'bad', dim: !p.primary });
  }
  return lines;
}
