import { statsJson, type GroupStats } from '../core/groupStats.js';
import { human } from '../core/units.js';
import { UsageError } from '../core/errors.js';
import { requireControl } from './context.js';
import { words } from './parse.js';
import type { Command } from './types.js';

/** The counter table: a row per process and port, port totals below. */
export function statsTable(g: GroupStats): string {
  const head = ['NAME', 'PID', 'STATE', 'PORT', 'RX', 'TX', 'DROP', 'RX/s', 'TX/s'];
  const rows: string[][] = [];
  for (const p of g.processes) {
    if (p.ports.length === 0) rows.push([p.name, String(p.pid), p.state, '-', '', '', '', '', '']);
    p.ports.forEach((port, i) =>
      rows.push([
        i === 0 ? p.name : '',
        i === 0 ? String(p.pid) : '',
        i === 0 ? (p.idle ? `${p.state} (idle)` : p.state) : '',
        String(port.port),
        human(port.rx),
        human(port.tx),
        human(port.drop),
        human(port.rxPps),
        human(port.txPps),
      ]),
    );
  }
  g.ports.forEach((t, i) =>
    rows.push([i === 0 ? 'total' : '', '', '', String(t.port), human(t.rx), human(t.tx), human(t.drop), human(t.rxPps), human(t.txPps)]),
  );
  const all = [head, ...rows];
  const widths = head.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  const right = (i: number) => i >= 3;
  return all.map((r) => r.map((c, i) => (right(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n');
}

export const stats: Command = {
  name: 'stats',
  args: '[--json]',
  summary: 'print the live counters once (--json: one JSON object on one line)',
  complete: (_ctx, partial) => ['--json'].filter((w) => w.startsWith(partial)),
  run(ctx, rest) {
    const args = words(rest);
    if (args.some((a) => a !== '--json')) throw new UsageError('usage: stats [--json]');
    const g = requireControl(ctx).sample();
    if (args.includes('--json')) ctx.session.append('output', statsJson(g));
    else ctx.session.append('output', g.processes.length ? statsTable(g) : 'no counters yet: spawn symmetric <N> starts workers');
  },
};
