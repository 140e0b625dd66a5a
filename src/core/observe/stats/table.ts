/**
 * One table model for every view of the counters: the live panel, `stats`
 * and `ps` build their tables here and only lay them out (fixed widths in
 * the panel, widths fitted to the content in printed output).
 */
import { duration, human } from '../../util/units.js';
import type { GroupStats, ProcessRow, Tone } from './types.js';

export interface Column {
  title: string;
  /** Width in the panel; printed output fits the widest cell instead. */
  width: number;
  right?: boolean;
}

export type { Tone } from './types.js';

export interface TableRow {
  key: string;
  cells: string[];
  tone?: Tone;
  /** Shown under the table's title in the panel (a port's name). */
  label?: string;
}

export interface Table {
  key: string;
  columns: Column[];
  rows: TableRow[];
  /** Shown left of the column titles in the panel ("port totals"). */
  title?: string;
}

export interface TableOptions {
  /** The panel shows an uptime column; `stats` does not. */
  uptime: boolean;
  /** "<port> <name>" of the ports this process has, to name each in the totals; a port not listed was detached. */
  portNames?: string[];
}

const text = (title: string, width: number): Column => ({ title, width });
const num = (title: string, width = 8): Column => ({ title, width, right: true });

/** A flag only means something while the process runs: a killed client is skipped anyway. */
export function stateText(p: ProcessRow): string {
  if (p.state !== 'running') return p.state;
  return p.idle ? 'running (idle)' : p.client?.skipped ? 'running (skipped)' : p.state;
}
const pidText = (p: ProcessRow) => (p.pid ? String(p.pid) : '-');
const uptimeText = (p: ProcessRow) => (p.uptimeMs ? duration(p.uptimeMs) : '-');

export function toneOf(p: ProcessRow): Tone {
  if (p.state === 'starting' || p.state === 'stopping') return 'busy';
  return p.state.startsWith('running') ? 'ok' : 'bad';
}

function headColumns(o: TableOptions): Column[] {
  return [text('NAME', 8), num('PID', 7), text('STATE', 16), ...(o.uptime ? [num('UP', 6)] : [])];
}

function headCells(p: ProcessRow, o: TableOptions): string[] {
  return [p.name, pidText(p), stateText(p), ...(o.uptime ? [uptimeText(p)] : [])];
}

/** Symmetric workers (and any other process): a row per process and port. */
function symmetricTable(rows: ProcessRow[], o: TableOptions): Table {
  const columns = [...headColumns(o), num('PORT', 4), num('RX'), num('TX'), num('DROP'), num('RX/s'), num('TX/s')];
  const blank = headColumns(o).map(() => '');
  const out: TableRow[] = [];
  for (const p of rows) {
    if (p.ports.length === 0) out.push({ key: p.name, cells: [...headCells(p, o), '-', '', '', '', '', ''], tone: toneOf(p) });
    p.ports.forEach((port, i) =>
      out.push({
        key: `${p.name}:${port.port}`,
        cells: [
          ...(i === 0 ? headCells(p, o) : blank),
          String(port.port),
          human(port.rx),
          human(port.tx),
          human(port.drop),
          human(port.rxPps),
          human(port.txPps),
        ],
        tone: i === 0 ? toneOf(p) : undefined,
      }),
    );
  }
  return { key: 'symmetric', columns, rows: out };
}

/** The server and its clients: a row each. */
function clientServerTable(rows: ProcessRow[], o: TableOptions): Table {
  const columns = [...headColumns(o), num('RX'), num('RX_DROP'), num('TX'), num('TX_DROP'), num('RX/s'), num('TX/s')];
  const out = rows.map((p): TableRow => {
    const c = p.client;
    const counters = c
      ? [human(c.rx), human(c.rxDrop), human(c.tx), human(c.txDrop), human(c.rxPps), human(c.txPps)]
      : [human(p.ports.reduce((a, x) => a + x.rx, 0)), human(p.noClientDrop ?? 0), '', '', human(p.ports.reduce((a, x) => a + x.rxPps, 0)), ''];
    return { key: p.name, cells: [...headCells(p, o), ...counters], tone: toneOf(p) };
  });
  return { key: 'clientServer', columns, rows: out };
}

/** The name of a port in the totals, or that it is gone (detached while its counters remain). */
export function portLabel(port: number, portNames: string[] | undefined): string {
  if (!portNames) return '';
  const entry = portNames.find((n) => n.startsWith(`${port} `));
  return entry ? entry.slice(entry.indexOf(' ') + 1) : '(detached)';
}

function portTotals(g: GroupStats, o: TableOptions): Table {
  return {
    key: 'ports',
    title: 'port totals',
    columns: [num('PORT', 4), num('RX'), num('TX'), num('DROP'), num('RX/s'), num('TX/s')],
    rows: g.ports.map((t) => ({
      key: `total:${t.port}`,
      label: portLabel(t.port, o.portNames),
      cells: [String(t.port), human(t.rx), human(t.tx), human(t.drop), human(t.rxPps), human(t.txPps)],
    })),
  };
}

/** The counter tables: symmetric workers per port, then the client-server group, then port totals. */
export function counterTables(g: GroupStats, o: TableOptions): Table[] {
  const cs = g.processes.filter((p) => p.role === 'server' || p.role === 'client');
  const others = g.processes.filter((p) => !cs.includes(p));
  const tables: Table[] = [];
  if (others.length > 0) tables.push(symmetricTable(others, o));
  if (cs.length > 0) tables.push(clientServerTable(cs, o));
  if (g.ports.length > 0) tables.push(portTotals(g, o));
  return tables;
}

export const idlePolicyText = (p: ProcessRow) => {
  const i = p.idlePolicy;
  if (!i) return '';
  if (i.mode === 'poll') return 'poll';
  return i.forecastUs > 0 ? `${i.mode} (${i.waitsOn}, wakes ahead of a ${(i.forecastUs / 1000).toFixed(1)} ms period)` : `${i.mode} (${i.waitsOn})`;
};

/** `ps`: a row per process. */
export function processTable(g: GroupStats): Table {
  return {
    key: 'ps',
    columns: [text('NAME', 8), text('ROLE', 9), num('PID', 7), text('STATE', 16), text('UPTIME', 6), text('IDLE POLICY', 24)],
    rows: g.processes.map((p) => ({ key: p.name, cells: [p.name, p.role, pidText(p), stateText(p), uptimeText(p), idlePolicyText(p)], tone: toneOf(p) })),
  };
}

function pad(c: Column, cell: string, width: number): string {
  return c.right ? cell.padStart(width) : cell.padEnd(width);
}

/** A table as printed output: widths fitted to the content, two spaces apart. */
export function formatTable(t: Table): string {
  const all = [t.columns.map((c) => c.title), ...t.rows.map((r) => r.cells)];
  const widths = t.columns.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  return all
    .map((r) =>
      r
        .map((cell, i) => pad(t.columns[i]!, cell, widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
