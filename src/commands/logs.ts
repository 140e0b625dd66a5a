import { UsageError } from '../core/util/errors.js';
import { completeNames, requireControl } from './context.js';
import { words } from './parse.js';
import type { Command } from './types.js';

export const logs: Command = {
  name: 'logs',
  args: '<name> [lines]',
  maxArgs: 2,
  summary: 'show the last lines a child process printed (default 20)',
  complete: completeNames,
  run(ctx, rest) {
    const [name, n] = words(rest);
    if (!name) throw new UsageError('usage: logs <name> [lines]');
    const child = requireControl(ctx).supervisor.get(name);
    if (!child) throw new UsageError(`no child named '${name}' (only processes this shell started have captured output)`);
    const count = n === undefined ? 20 : Number(n);
    if (!Number.isInteger(count) || count < 1) throw new UsageError(`lines must be a positive whole number, not '${n}'`);
    const lines = child.output.slice(-count);
    ctx.session.append('output', lines.length ? lines.map((l) => `${name}| ${l}`).join('\n') : `${name} printed nothing`);
  },
};
