/**
 * What every benchmark module returns, and how the driver shows it: an
 * aligned mpsh-vs-stock table for people, one JSON object for scripts.
 */

export interface Metric {
  /** Stable JSON key, e.g. `latency_p50_us`. */
  key: string;
  /** Table label, unit included, e.g. `send-to-receive p50 (µs)`. */
  label: string;
  mpsh: number;
  stock: number;
  /** Digits after the point in the table; JSON keeps full precision. */
  decimals: number;
}

export interface BenchResult {
  /** JSON key of this benchmark, e.g. `simple_mp`. */
  name: string;
  title: string;
  metrics: Metric[];
  /** Conditions and anomalies worth reading next to the numbers. */
  notes: string[];
}

export interface Benchmark {
  name: string;
  run(): Promise<BenchResult>;
}

/** mpsh/stock, or null when stock is zero (or either side is not a number) and no ratio means anything. */
export function ratio(m: Metric): number | null {
  if (!Number.isFinite(m.mpsh) || !Number.isFinite(m.stock) || m.stock === 0) return null;
  return m.mpsh / m.stock;
}

function cell(v: number, decimals: number): string {
  return Number.isFinite(v) ? v.toFixed(decimals) : 'n/a';
}

export function formatTable(result: BenchResult): string {
  const header = ['metric', 'mpsh', 'stock', 'mpsh/stock'];
  const rows = result.metrics.map((m) => {
    const r = ratio(m);
    return [m.label, cell(m.mpsh, m.decimals), cell(m.stock, m.decimals), r === null ? 'n/a' : r.toFixed(2)];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  // Label left-aligned, numbers right-aligned so their points line up.
  const line = (cols: string[]) => cols.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const out = [result.title, line(header), rule, ...rows.map(line)];
  for (const n of result.notes) out.push(`note: ${n}`);
  return `${out.join('\n')}\n`;
}

export interface JsonFigure {
  mpsh: number | null;
  stock: number | null;
  ratio: number | null;
}

/** { <bench>: { <metric key>: { mpsh, stock, ratio } } }; NaN becomes null, as JSON has no NaN. */
export function toJson(results: BenchResult[]): Record<string, Record<string, JsonFigure>> {
  const num = (v: number): number | null => (Number.isFinite(v) ? Number(v.toPrecision(6)) : null);
  const json: Record<string, Record<string, JsonFigure>> = {};
  for (const r of results) {
    json[r.name] = {};
    for (const m of r.metrics) {
      const q = ratio(m);
      json[r.name][m.key] = { mpsh: num(m.mpsh), stock: num(m.stock), ratio: q === null ? null : num(q) };
    }
  }
  return json;
}

/** One table of a recorded run: the shape every file in bench/results/ has. */
export interface RecordedTable {
  title: string;
  columns: string[];
  rows: (string | number | null)[][];
}

/**
 * A whole run as bench/results/<date>-<time>.json keeps it: the tables as
 * printed (the shape of the runs transcribed from older READMEs too), the
 * notes, and the figures at full precision under `figures`.
 */
export function toRecord(results: BenchResult[], started: Date, finished: Date, command: string): object {
  const tables: RecordedTable[] = results.map((r) => ({
    title: r.title,
    columns: ['metric', 'mpsh', 'stock', 'mpsh/stock'],
    rows: r.metrics.map((m) => {
      const q = ratio(m);
      return [m.label, Number.isFinite(m.mpsh) ? m.mpsh : null, Number.isFinite(m.stock) ? m.stock : null, q === null ? null : Number(q.toFixed(3))];
    }),
  }));
  const utc = (d: Date) => d.toISOString().slice(0, 16).replace('T', ' ');
  const notes = results.flatMap((r) => r.notes.map((n) => `${r.name}: ${n}`)).join('\n');
  return { date: `${utc(started)}–${utc(finished).slice(11)} UTC`, command, notes, tables, figures: toJson(results) };
}

/** The median (the mean of the middle two of an even count). */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Nearest-rank percentile of sorted values (NaN for none). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
