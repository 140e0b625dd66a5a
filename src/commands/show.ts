import { UsageError } from '../core/util/errors.js';
import { completeNames, requireControl } from './context.js';
import { words } from './parse.js';
import type { Command } from './types.js';

/** How long line mode waits between two CPU readings, so it can say how busy the process is now. */
const CPU_WINDOW_MS = 300;

/** show <name>: one process in detail; a focused live view on the TTY, text in line mode. */
export const show: Command = {
  name: 'show',
  maxArgs: 1,
  args: '[name]',
  summary: 'one process in detail: ports, peaks, ring fill, CPU, lcores (no name: back to the table)',
  details: [
    "  per-port counters, rates and peaks; a client's ring fill and ring drops; the server's",
    '  distribution per client; CPU use from /proc, lcores and affinity, heartbeat age, idle',
    '  policy, uptime and restarts; the mempool in use. On the TTY it replaces the table and',
    '  follows live; Esc (on an empty prompt) or show without a name goes back.',
  ].join('\n'),
  complete: completeNames,
  async run(ctx, rest) {
    const args = words(rest);
    if (args.length > 1) throw new UsageError('usage: show [name]  (ps lists the names)');
    const name = args[0];
    if (name === undefined) {
      ctx.session.setView({ focus: null });
      ctx.session.setDetail(null);
      return;
    }
    const control = requireControl(ctx);
    const g = control.sample();
    if (!g.processes.some((p) => p.name === name)) throw new UsageError(`no process named '${name}': ps lists them`);
    const history = ctx.session.snapshot().history;
    if (ctx.session.interactive) {
      ctx.session.setView({ focus: name });
      ctx.session.setDetail(control.detail(name, history));
      ctx.session.append('info', `showing ${name}: Esc or 'show' goes back to the table`);
      return;
    }
    control.detail(name, history); // first CPU reading
    await new Promise((r) => setTimeout(r, CPU_WINDOW_MS));
    control.sample();
    ctx.session.append('output', control.detail(name, history).join('\n'));
  },
};
