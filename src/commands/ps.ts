import { appProcessTable } from '../core/observe/app/tables.js';
import { settledSample } from '../core/observe/stats/settled.js';
import { formatTable, processTable } from '../core/observe/stats/table.js';
import { requireControl } from './context.js';
import type { Command } from './types.js';

export const ps: Command = {
  name: 'ps',
  args: '',
  maxArgs: 0,
  summary: 'list the processes of the group: name, role, pid, state, uptime, idle policy',
  async run(ctx) {
    // Settled as `stats` is: a stock process's state needs two samples.
    const control = requireControl(ctx);
    const g = await settledSample(() => control.sample());
    const app = g.app?.processes.length ? g.app : null;
    if (g.processes.length === 0 && !app) {
      ctx.session.append('output', 'no processes: spawn symmetric <N>, or spawn server --clients <N> --start-clients');
      return;
    }
    // mpsh's own roles first, then the other processes of the prefix (the app's primary, other secondaries).
    const tables = [...(g.processes.length ? [processTable(g)] : []), ...(app ? [appProcessTable(app)] : [])];
    ctx.session.append('output', tables.map(formatTable).join('\n\n'));
  },
};
