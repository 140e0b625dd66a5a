/**
 * Rate history per process, kept by the shell from the samples it already
 * takes (4 a second): the last minute of rx/s and tx/s for the sparklines,
 * the peak rate since the process started, and how often a new pid took
 * over its name (restarts).
 */
import type { GroupStats, ProcessRow } from './types.js';

export const HISTORY_MS = 60_000;

export interface RatePoint {
  at: number;
  rx: number;
  tx: number;
}

export interface ProcessHistory {
  pid: number;
  points: RatePoint[];
  /** Highest rates since this pid started (reset by a restart). */
  peakRx: number;
  peakTx: number;
  /** New pids seen under this name after the first. */
  restarts: number;
  /** Highest per-port rates since this pid started. */
  portPeaks: Map<number, { rx: number; tx: number }>;
}

/** A process's rx/s and tx/s (a client's rx is what the server put in its ring; unknown counts as 0). */
export function rowRates(p: ProcessRow): { rx: number; tx: number } {
  const finite = (n: number) => (Number.isFinite(n) ? n : 0);
  if (p.client) return { rx: finite(p.client.rxPps), tx: finite(p.client.txPps) };
  return { rx: p.ports.reduce((a, x) => a + x.rxPps, 0), tx: p.ports.reduce((a, x) => a + x.txPps, 0) };
}

/** Where an app port's rates are kept in the history. */
export const ethdevHistoryKey = (port: number, name: string) => `ethdev:${port}:${name}`;

function addPoint(h: ProcessHistory, at: number, rx: number, tx: number): void {
  h.points.push({ at, rx, tx });
  h.peakRx = Math.max(h.peakRx, rx);
  h.peakTx = Math.max(h.peakTx, tx);
  const cut = at - HISTORY_MS;
  let drop = 0;
  while (drop < h.points.length && h.points[drop]!.at <= cut) drop++;
  if (drop) h.points.splice(0, drop);
}

export class RateHistory {
  private readonly byName = new Map<string, ProcessHistory>();

  record(g: GroupStats): void {
    for (const p of g.processes) {
      let h = this.byName.get(p.name);
      if (!h) {
        h = { pid: p.pid, points: [], peakRx: 0, peakTx: 0, restarts: 0, portPeaks: new Map() };
        this.byName.set(p.name, h);
      } else if (p.pid && h.pid !== p.pid) {
        if (h.pid) h.restarts++;
        h.pid = p.pid;
        h.peakRx = 0;
        h.peakTx = 0;
        h.portPeaks.clear();
      }
      for (const port of p.ports) {
        const pk = h.portPeaks.get(port.port) ?? { rx: 0, tx: 0 };
        h.portPeaks.set(port.port, { rx: Math.max(pk.rx, port.rxPps), tx: Math.max(pk.tx, port.txPps) });
      }
      const r = rowRates(p);
      addPoint(h, g.at, r.rx, r.tx);
    }
    // Any app's ports (ethdev counters), under "ethdev:<port>:<name>".
    for (const port of g.app?.ports ?? []) {
      const key = ethdevHistoryKey(port.port, port.name);
      let h = this.byName.get(key);
      if (!h) this.byName.set(key, (h = { pid: 0, points: [], peakRx: 0, peakTx: 0, restarts: 0, portPeaks: new Map() }));
      addPoint(h, g.at, port.rxPps, port.txPps);
    }
  }

  of(name: string): ProcessHistory | undefined {
    return this.byName.get(name);
  }
}

const BARS = '▁▂▃▄▅▆▇█';

/**
 * The last minute as `width` glyphs, oldest left, each the highest rate in
 * its slice of time, scaled to the highest in the window (per row): ' ' where
 * nothing was sampled, '▁' for zero, '▂'..'█' for the rest.
 */
export function sparkline(points: readonly RatePoint[], pick: (p: RatePoint) => number, width: number, now: number): string {
  if (width <= 0) return '';
  const slice = HISTORY_MS / width;
  const buckets: (number | undefined)[] = new Array<number | undefined>(width).fill(undefined);
  for (const p of points) {
    if (p.at <= now - HISTORY_MS || p.at > now) continue;
    // Slices are (start, end]: the newest sample lands in the last one.
    const i = Math.max(0, Math.ceil((p.at - (now - HISTORY_MS)) / slice) - 1);
    buckets[i] = Math.max(buckets[i] ?? 0, pick(p));
  }
  const max = Math.max(0, ...buckets.map((b) => b ?? 0));
  return buckets
    .map((b) => {
      if (b === undefined) return ' ';
      if (b <= 0 || max <= 0) return BARS[0]!;
      return BARS[1 + Math.min(6, Math.round((b / max) * 6))]!;
    })
    .join('');
}

/** Highest value in the window. */
export function windowPeak(points: readonly RatePoint[], pick: (p: RatePoint) => number): number {
  return points.reduce((a, p) => Math.max(a, pick(p)), 0);
}

/** Whether tx deserves a line of its own: it moves and differs from rx by more than a tenth somewhere. */
export function txDiffers(points: readonly RatePoint[]): boolean {
  return points.some((p) => p.tx > 0) && points.some((p) => Math.abs(p.tx - p.rx) > 0.1 * Math.max(p.rx, p.tx));
}
