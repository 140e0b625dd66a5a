import { UsageError } from '../core/errors.js';
import { requireControl } from './context.js';
import { words } from './parse.js';
import type { Command } from './types.js';

const USAGE = 'spawn symmetric <N> [--portmask <hex>]';

/** spawn symmetric <N> [--portmask <hex>]: configure the ports for N queues and start N workers. */
export const spawn: Command = {
  name: 'spawn',
  args: 'symmetric <N> [--portmask <hex>]',
  summary: 'start N symmetric_mp workers (sym0..), one queue each on every port',
  complete: (_ctx, partial) => ['symmetric', '--portmask'].filter((w) => w.startsWith(partial)),
  async run(ctx, rest) {
    const control = requireControl(ctx);
    const [kind, ...args] = words(rest);
    if (kind !== 'symmetric') throw new UsageError(kind ? `cannot spawn '${kind}': usage: ${USAGE}` : `usage: ${USAGE}`);
    let count: number | undefined;
    let mask: string | undefined;
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a === '--portmask') {
        mask = args[++i];
        if (mask === undefined) throw new UsageError('--portmask needs a hexadecimal mask, e.g. --portmask 3');
      } else if (a.startsWith('--portmask=')) mask = a.slice('--portmask='.length);
      else if (/^\d+$/.test(a) && count === undefined) count = Number(a);
      else throw new UsageError(`unexpected '${a}': usage: ${USAGE}`);
    }
    if (count === undefined) throw new UsageError(`how many workers? usage: ${USAGE}`);
    ctx.session.append('info', `configuring ports for ${count} queue${count === 1 ? '' : 's'} and starting ${count} worker${count === 1 ? '' : 's'}…`);
    const r = await control.symmetric.spawn(count, mask);
    for (const n of r.notes) ctx.session.append('info', n);
    const pids = r.names.map((n) => `${n} (pid ${control.supervisor.get(n)?.pid})`);
    ctx.session.append('output', `forwarding on ports ${r.ports.join(', ')}: ${pids.join(', ')}`);
  },
};
