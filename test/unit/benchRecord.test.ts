/** The record `BENCH_JSON=<file> npm run bench` writes: the shape bench/results/ keeps every run in. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { toRecord, type BenchResult } from '../../bench/report.js';
import { ROOT } from '../../harness/repo.js';

const result: BenchResult = {
  name: 'symmetric_mp',
  title: 'symmetric_mp on net_null',
  metrics: [
    { key: 'mpps', label: 'forwarded (Mpps)', mpsh: 10.5, stock: 10, decimals: 2 },
    { key: 'idle_cpu', label: 'idle CPU (%)', mpsh: 0.5, stock: 0, decimals: 1 },
  ],
  notes: ['one run'],
};

describe('bench record', () => {
  it('keeps the tables as printed, the ratios, the notes and the raw figures, dated', () => {
    const rec = toRecord([result], new Date('2026-12-02T08:01:00Z'), new Date('2026-12-02T08:14:00Z'), 'npm run bench') as {
      date: string;
      tables: { title: string; columns: string[]; rows: unknown[][] }[];
      notes: string;
      figures: Record<string, Record<string, { ratio: number | null }>>;
    };
    assert.equal(rec.date, '2026-12-02 08:01–08:14 UTC');
    assert.deepEqual(rec.tables[0]!.columns, ['metric', 'mpsh', 'stock', 'mpsh/stock']);
    assert.deepEqual(rec.tables[0]!.rows, [
      ['forwarded (Mpps)', 10.5, 10, 1.05],
      ['idle CPU (%)', 0.5, 0, null],
    ]);
    assert.equal(rec.notes, 'symmetric_mp: one run');
    assert.equal(rec.figures.symmetric_mp!.mpps!.ratio, 1.05);
  });

  it('every kept run has the same top-level shape', () => {
    const dir = path.join(ROOT, 'bench/results');
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));
    assert.ok(files.length > 0);
    for (const f of files) {
      const run = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as Record<string, unknown>;
      for (const key of ['date', 'command', 'notes', 'tables']) assert.ok(key in run, `${f} has no ${key}`);
    }
  });
});
