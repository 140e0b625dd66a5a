import { appPortLines, appProcessLines } from '../core/observe/app/tables.js';
import { UsageError } from '../core/util/errors.js';
import { completeNames, requireControl } from './context.js';
import { words } from './parse.js';
import type { Command, CommandContext } from './types.js';
import { MIN_RATE_INTERVAL_MS } from '../core/observe/stats/rates.js';

/** How long line mode waits between two CPU readings, so it can say how busy the process is now. */
const CPU_WINDOW_MS = 300;

/** show <name>: one process in detail; a focused live view on the TTY, text in line mode. */
export const show: Command = {
  name: 'show',
  maxArgs: 2,
  args: '[name | port <id>]',
  summary: 'one process in detail: ports, peaks, ring fill, CPU, lcores (no name: back to the table)',
  details: [
    "  per-port counters, rates and peaks; a client's ring fill and ring drops; the server's",
    '  distribution per client; CPU use from /proc, lcores and affinity, heartbeat age, idle',
    '  policy, uptime and restarts; the mempool in use. On the TTY it replaces the table and',
    '  follows live; Esc (on an empty prompt) or show without a name goes back.',
    '  show port <id>: any port of the prefix as ethdev sees it (driver, link, MAC, MTU, queues,',
    '  counters per queue and every xstat), whichever process forwards on it.',
  ].join('\n'),
  complete: completeNames,
  async run(ctx, rest) {
    const args = words(rest);
    if (args[0] === 'port') return showPort(ctx, args[1]);
    if (args.length > 1) throw new UsageError('usage: show [name | port <id>]  (ps lists the names, list the ports)');
    const name = args[0];
    if (name === undefined) {
      ctx.session.setView({ focus: null });
      ctx.session.setDetail(null);
      return;
    }
    const control = requireControl(ctx);
    const g = control.sample();
    const appProcess = g.app?.processes.find((p) => p.name === name);
    if (appProcess && !g.processes.some((p) => p.name === name)) {
      ctx.session.append('output', appProcessLines(appProcess).join('\n'));
      return;
    }
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

/** `show port <id>`: printed once (both modes); two samples apart so the rates are known. */
async function showPort(ctx: CommandContext, id: string | undefined): Promise<void> {
  if (id === undefined || !/^\d+$/.test(id)) throw new UsageError('usage: show port <id>  (list shows the port ids)');
  const control = requireControl(ctx);
  let g = control.sample();
  for (let tries = 0; g.ratesPending && tries < 3; tries++) {
    await new Promise((r) => setTimeout(r, MIN_RATE_INTERVAL_MS + 10));
    g = control.sample();
  }
  const port = g.app?.ports.find((p) => p.port === Number(id));
  if (!port) throw new UsageError(`no port ${id} in this prefix: list shows the ports`);
  ctx.session.append('output', appPortLines(port).join('\n'));
}
