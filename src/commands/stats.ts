import { statsJson } from '../core/groupStats.js';
import { statsTable } from './statsTable.js';
import { UsageError } from '../core/errors.js';
import { requireControl } from './context.js';
import { words } from './parse.js';
import type { Command } from './types.js';

export const stats: Command = {
  name: 'stats',
  args: '[--json]',
  maxArgs: 1,
  summary: 'print the live counters once (--json: one JSON object on one line)',
  complete: (_ctx, partial) => ['--json'].filter((w) => w.startsWith(partial)),
  run(ctx, rest) {
    const args = words(rest);
    if (args.some((a) => a !== '--json')) throw new UsageError('usage: stats [--json]');
    const g = requireControl(ctx).sample();
    if (args.includes('--json')) ctx.session.append('output', statsJson(g));
    else ctx.session.append('output', g.processes.length ? statsTable(g) : 'no counters yet: spawn symmetric <N>, or spawn server --clients <N> --start-clients');
  },
};
