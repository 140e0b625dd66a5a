import { parseSignal } from '../core/shell/control.js';
import { UsageError } from '../core/util/errors.js';
import { completeNames, requireControl } from './context.js';
import { words } from './parse.js';
import type { Command } from './types.js';

export const kill: Command = {
  name: 'kill',
  args: '[-9|-TERM|-INT] <name>',
  maxArgs: 2,
  summary: 'stop a process gracefully (SIGTERM, then SIGKILL), or send it a signal',
  complete: completeNames,
  async run(ctx, rest) {
    const control = requireControl(ctx);
    const args = words(rest);
    const signal = args[0]?.startsWith('-') ? parseSignal(args.shift()!) : undefined;
    if (args.length !== 1) throw new UsageError('usage: kill [-9|-TERM|-INT] <name>  (ps lists the names)');
    ctx.session.append('output', await control.kill(args[0]!, signal));
  },
};
