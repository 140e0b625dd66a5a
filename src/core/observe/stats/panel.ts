/**
 * The live panel as lines of text for a given terminal size: a row per
 * process (sorted and filtered as the view says) with its rate history,
 * a line saying how many rows are hidden when they do not all fit, then
 * the port totals under headers of their own. Columns are dropped, least
 * needed first (PID and UP before the counters, as htop users expect the
 * traffic to stay), until a row fits the width; the history takes what is
 * left (up to a character per second). The sort column's title carries ▼ or
 * ▲. Every line is at most `width` long, so nothing wraps.
 */
import { duration, human } from '../../util/units.js';
import { rowRates, sparkline, txDiffers, windowPeak, type ProcessHistory, type RateHistory } from './history.js';
import { portLabel, stateText, toneOf } from './table.js';
import { groupDropsLine } from './groupDrops.js';
import type { GroupStats, PanelLine, ProcessRow } from './types.js';
import { arrangeRows, rowTotals, type SortColumn, type ViewState } from './view.js';
import { appPanelLines } from '../app/panelLines.js';

export type { PanelLine } from './types.js';

interface Cell {
  id: SortColumn | 'history';
  title: string;
  right: boolean;
  width: number;
  /** Dropped first when the row is too wide: lowest first. */
  keep: number;
  cell(p: ProcessRow, h: ProcessHistory | undefined): string;
}

const HISTORY_MIN = 10;
const HISTORY_MAX = 60;
const NUM = 6;

function columns(rows: readonly ProcessRow[]): Cell[] {
  // A title has room for its sort mark.
  const widest = (title: string, f: (p: ProcessRow) => string) => Math.max(title.length + 1, ...rows.map((p) => f(p).length));
  const num = (id: SortColumn, title: string, keep: number, f: (p: ProcessRow, h: ProcessHistory | undefined) => number): Cell => ({
    id,
    title,
    right: true,
    width: Math.max(NUM, title.length + 1),
    keep,
    cell: (p, h) => human(f(p, h)),
  });
  return [
    { id: 'name', title: 'NAME', right: false, width: widest('NAME', (p) => p.name), keep: 100, cell: (p) => p.name },
    { id: 'pid', title: 'PID', right: true, width: 7, keep: 10, cell: (p) => (p.pid ? String(p.pid) : '-') },
    { id: 'state', title: 'STATE', right: false, width: widest('STATE', stateText), keep: 95, cell: stateText },
    { id: 'up', title: 'UP', right: true, width: 6, keep: 20, cell: (p) => (p.uptimeMs ? duration(p.uptimeMs) : '-') },
    num('rx', 'RX', 65, (p) => rowTotals(p).rx),
    num('tx', 'TX', 65, (p) => rowTotals(p).tx),
    num('drop', 'DROP', 50, (p) => rowTotals(p).drop),
    num('rx/s', 'RX/s', 90, (p) => rowRates(p).rx),
    num('tx/s', 'TX/s', 80, (p) => rowRates(p).tx),
    num('peak', 'PEAK', 30, (_p, h) => h?.peakRx ?? 0),
    { id: 'history', title: 'RX/s', right: false, width: HISTORY_MIN, keep: 40, cell: () => '' },
  ];
}

/** The columns that fit `width`, the history widened to what is left. */
function fit(all: Cell[], width: number): Cell[] {
  const used = (cs: Cell[]) => cs.reduce((a, c) => a + c.width, 0) + cs.length - 1;
  const cols = [...all];
  while (used(cols) > width && cols.length > 1) {
    const lowest = cols.reduce((a, c) => (c.keep < a.keep ? c : a));
    cols.splice(cols.indexOf(lowest), 1);
  }
  const h = cols.find((c) => c.id === 'history');
  if (h) h.width = Math.min(HISTORY_MAX, h.width + width - used(cols));
  return cols;
}

/** A column's title as it fits: the sort column marked (by name, A..Z, when no sort is set), the history's span (always a minute). */
function title(c: Cell, view: ViewState): string {
  if (c.id === 'history') return c.width >= 15 ? 'RX/s, last 60 s' : 'RX/s 60 s';
  const sort = view.sort ?? { column: 'name', descending: false };
  return sort.column === c.id ? `${c.title}${sort.descending ? '▼' : '▲'}` : c.title;
}

const pad = (text: string, width: number, right: boolean) => {
  const t = text.length > width ? text.slice(0, width) : text;
  return right ? t.padStart(width) : t.padEnd(width);
};
const join = (cols: Cell[], cells: string[]) =>
  cols
    .map((c, i) => pad(cells[i]!, c.width, c.right))
    .join(' ')
    .trimEnd();

export interface PanelSize {
  /** Characters inside the border. */
  width: number;
  /** Lines inside the border. */
  height: number;
  /** "<port> <name>" per attached port (status line); names the port totals. */
  portNames?: string[];
}

export interface Panel {
  lines: PanelLine[];
  /** The first row shown after clamping the view's scroll. */
  scroll: number;
  /** Process rows per page at this size (PgUp/PgDn move by it). */
  pageRows: number;
}

export function panelLines(group: GroupStats, history: RateHistory | null, view: ViewState, size: PanelSize): Panel {
  const rows = arrangeRows(group.processes, view, history);
  const cols = fit(columns(group.processes), size.width);
  const hist = cols.find((c) => c.id === 'history');
  const indent = hist ? size.width - hist.width : 0;
  const rowLines = rows.map((p): PanelLine[] => {
    const h = history?.of(p.name);
    const pts = h?.points ?? [];
    const cells = cols.map((c) => (c.id === 'history' ? sparkline(pts, (x) => x.rx, c.width, group.at) : c.cell(p, h)));
    const out: PanelLine[] = [{ text: join(cols, cells), tone: toneOf(p) }];
    if (hist && txDiffers(pts)) {
      const label = `tx/s peak ${human(windowPeak(pts, (x) => x.tx))} `;
      out.push({ text: `${label.padStart(indent)}${sparkline(pts, (x) => x.tx, hist.width, group.at)}`.slice(0, size.width), dim: true });
    }
    return out;
  });

  // mpsh's port totals, then any app's ethdev ports and processes (app/panelLines.ts).
  const totals = [...portTotalLines(group, size.width, size.portNames), ...appPanelLines(group, history, size.width)];
  const head: PanelLine = {
    text: join(
      cols,
      cols.map((c) => title(c, view)),
    ),
    bold: true,
  };
  // Lines for process rows: the height less the header, the totals and (when needed) the hidden-rows line.
  const all = rowLines.reduce((a, l) => a + l.length, 0);
  let room = Math.max(1, size.height - 1 - totals.length);
  const filtered = group.processes.length - rows.length;
  const needsNote = all > room || filtered > 0;
  if (needsNote) room = Math.max(1, room - 1);

  // The page starting at the scroll position, moved back if it would leave room unused at the end.
  let scroll = Math.max(0, Math.min(view.scroll, rows.length - 1));
  const fitsFrom = (start: number) => {
    let used = 0;
    let n = 0;
    for (let i = start; i < rowLines.length && used + rowLines[i]!.length <= room; i++, n++) used += rowLines[i]!.length;
    return n;
  };
  while (scroll > 0 && scroll + fitsFrom(scroll) >= rows.length && fitsFrom(scroll - 1) > rows.length - scroll) scroll--;
  const shown = rows.length ? Math.max(1, fitsFrom(scroll)) : 0;
  const lines: PanelLine[] = [
    ...(group.processes.length > 0 ? [head] : []),
    ...rowLines
      .slice(scroll, scroll + shown)
      .flat()
      .slice(0, room),
  ];
  if (needsNote) lines.push({ text: hiddenNote(scroll, shown, rows.length, filtered, view.filter).slice(0, size.width), dim: true });
  lines.push(...totals);
  return { lines, scroll, pageRows: Math.max(1, shown) };
}

function hiddenNote(scroll: number, shown: number, total: number, filtered: number, filter: string): string {
  const parts: string[] = [];
  const hidden = total - shown;
  if (hidden > 0) parts.push(`rows ${scroll + 1}-${scroll + shown} of ${total}, ${hidden} hidden (PgUp/PgDn)`);
  if (filtered > 0) parts.push(`${filtered} filtered out by '${filter}'`);
  return `… ${parts.join('; ')}`;
}

/** Port totals: a table of their own, with its own header; the device name (or "(detached)") last. */
function portTotalLines(g: GroupStats, width: number, portNames: string[] | undefined): PanelLine[] {
  if (g.ports.length === 0) return [];
  const cols = ['TOTALS', 'RX', 'TX', 'DROP', 'RX/s', 'TX/s', ...(portNames ? ['DEVICE'] : [])];
  const w = [7, 7, 7, 7, 7, 7, 0];
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 || i === 6 ? c.padEnd(w[i]!) : c.padStart(w[i]!)))
      .join(' ')
      .slice(0, width)
      .trimEnd();
  return [
    { text: line(cols), bold: true },
    ...g.ports.map((t) => ({
      text: line([
        `port ${t.port}`,
        human(t.rx),
        human(t.tx),
        human(t.drop),
        human(t.rxPps),
        human(t.txPps),
        ...(portNames ? [portLabel(t.port, portNames)] : []),
      ]),
    })),
    // Only once something went that way: at 0 the row is the panel's to keep (stats and --json say 0).
    ...(g.drops && (g.drops.ringFull > 0 || g.drops.noClient > 0) ? [{ text: groupDropsLine(g.drops).slice(0, width), dim: true }] : []),
  ];
}
