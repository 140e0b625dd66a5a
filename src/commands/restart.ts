import { UsageError } from '../core/util/errors.js';
import { completeNames, requireControl } from './context.js';
import { words } from './parse.js';
import type { Command } from './types.js';

export const restart: Command = {
  name: 'restart',
  args: '<name>',
  maxArgs: 1,
  summary: 'start a worker (same proc-id), the server or a client again while the others go on',
  complete: completeNames,
  async run(ctx, rest) {
    const args = words(rest);
    if (args.length !== 1) throw new UsageError('usage: restart <name>  (ps lists the names)');
    ctx.session.append('output', await requireControl(ctx).restart(args[0]!));
  },
};
