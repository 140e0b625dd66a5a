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
    if (g.processes.length === 0) {
      ctx.session.append('output', 'no processes: spawn symmetric <N>, or spawn server --clients <N> --start-clients');
      return;
    }
    ctx.session.append('output', formatTable(processTable(g)));
  },
};
