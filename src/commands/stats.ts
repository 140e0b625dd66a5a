import { groupDropsLine } from '../core/observe/stats/groupDrops.js';
import { settledSample } from '../core/observe/stats/settled.js';
import { statsJson } from '../core/observe/stats/json.js';
import { appPortTable } from '../core/observe/app/tables.js';
import { counterTables, formatTable } from '../core/observe/stats/table.js';
import { UsageError } from '../core/util/errors.js';
import { requireControl } from './context.js';
import { words } from './parse.js';
import type { Command } from './types.js';

export const stats: Command = {
  name: 'stats',
  args: '[--json]',
  maxArgs: 1,
  summary: 'print the live counters once (--json: one JSON object on one line)',
  complete: (_ctx, partial) => ['--json'].filter((w) => w.startsWith(partial)),
  async run(ctx, rest) {
    const args = words(rest);
    if (args.some((a) => a !== '--json')) throw new UsageError('usage: stats [--json]');
    const control = requireControl(ctx);
    // Right after start (or a process's start) a rate needs a second sample:
    // take one rather than print 0 for traffic that flows.
    const g = await settledSample(() => control.sample());
    if (args.includes('--json')) ctx.session.append('data', statsJson(g));
    else {
      const tables = [...(g.processes.length ? counterTables(g, { uptime: false }) : []), ...(g.app?.ports.length ? [appPortTable(g.app)] : [])];
      const drops = g.drops ? `\n${groupDropsLine(g.drops)}` : '';
      ctx.session.append(
        'output',
        tables.length ? tables.map(formatTable).join('\n\n') + drops : 'no counters yet: spawn symmetric <N>, or spawn server --clients <N> --start-clients',
      );
    }
  },
};
