/**
 * How the live view is arranged: sort column and order, filter text,
 * scroll position, frozen redraw, and the process shown in detail. Kept in
 * the session store; commands and keys change it, the UI only renders it.
 */
import { rowRates, type RateHistory } from './history.js';
import type { ProcessRow } from './types.js';

export interface ViewState {
  sort: { column: SortColumn; descending: boolean } | null;
  filter: string;
  /** First process row shown (the panel clamps it). */
  scroll: number;
  /** The redraw stops; sampling and history go on. */
  frozen: boolean;
  /** `show <name>` on the TTY: the detail view replaces the table. */
  focus: string | null;
}

export const defaultView: ViewState = { sort: null, filter: '', scroll: 0, frozen: false, focus: null };

/** The columns one can sort by, by the names `sort` takes (titles lower-cased). */
export const SORT_COLUMNS = ['name', 'pid', 'state', 'up', 'rx', 'tx', 'drop', 'rx/s', 'tx/s', 'peak'] as const;
export type SortColumn = (typeof SORT_COLUMNS)[number];

/** Numbers sort highest first by default, text A..Z. */
export const DESCENDING_BY_DEFAULT: ReadonlySet<SortColumn> = new Set(['pid', 'up', 'rx', 'tx', 'drop', 'rx/s', 'tx/s', 'peak']);

export function parseSortColumn(word: string): SortColumn | undefined {
  const w = word.toLowerCase();
  const alias: Record<string, SortColumn> = { rxs: 'rx/s', txs: 'tx/s', rate: 'rx/s', uptime: 'up', max: 'peak', drops: 'drop' };
  return (SORT_COLUMNS as readonly string[]).includes(w) ? (w as SortColumn) : alias[w];
}

const finite = (n: number) => (Number.isFinite(n) ? n : 0);

/** A process's totals as the panel shows them. */
export function rowTotals(p: ProcessRow): { rx: number; tx: number; drop: number } {
  if (p.client) return { rx: finite(p.client.rx), tx: p.client.tx, drop: finite(p.client.rxDrop) + p.client.txDrop };
  if (p.role === 'server') return { rx: p.ports.reduce((a, x) => a + x.rx, 0), tx: 0, drop: p.noClientDrop ?? 0 };
  return { rx: p.ports.reduce((a, x) => a + x.rx, 0), tx: p.ports.reduce((a, x) => a + x.tx, 0), drop: p.ports.reduce((a, x) => a + x.drop, 0) };
}

function sortKey(p: ProcessRow, c: SortColumn, history: RateHistory | null): number | string {
  switch (c) {
    case 'name':
      return p.name;
    case 'state':
      return p.state;
    case 'pid':
      return p.pid;
    case 'up':
      return p.uptimeMs;
    case 'rx':
    case 'tx':
    case 'drop':
      return rowTotals(p)[c];
    case 'rx/s':
      return rowRates(p).rx;
    case 'tx/s':
      return rowRates(p).tx;
    case 'peak':
      return history?.of(p.name)?.peakRx ?? 0;
  }
}

const byName = (a: ProcessRow, b: ProcessRow) => a.name.localeCompare(b.name, 'en', { numeric: true });

/** The rows the view shows, filtered (name, role or state contains the text) and sorted (ties by name). */
export function arrangeRows(rows: readonly ProcessRow[], view: ViewState, history: RateHistory | null): ProcessRow[] {
  const f = view.filter.toLowerCase();
  const kept = f ? rows.filter((p) => [p.name, p.role, p.state].some((t) => t.toLowerCase().includes(f))) : [...rows];
  const sort = view.sort;
  if (!sort) return kept;
  return kept.sort((a, b) => {
    const ka = sortKey(a, sort.column, history);
    const kb = sortKey(b, sort.column, history);
    const c = typeof ka === 'number' && typeof kb === 'number' ? ka - kb : String(ka).localeCompare(String(kb), 'en', { numeric: true });
    return (sort.descending ? -c : c) || byName(a, b);
  });
}
