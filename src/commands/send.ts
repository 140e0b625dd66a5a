import type { Command } from './types.js';

/** send <text>: the rest of the line, spaces kept, to the other process. */
export const send: Command = {
  name: 'send',
  args: '<text>',
  summary: 'send a string (the rest of the line, up to 127 bytes) to the other process',
  run(ctx, rest) {
    if (!ctx.simpleMp) {
      ctx.session.append('error', 'cannot send: this process has no simple_mp channel');
      return;
    }
    const r = ctx.simpleMp.send(rest);
    if (!r.ok) ctx.session.append(r.reason === 'ring-full' ? 'output' : 'error', r.message);
  },
};
