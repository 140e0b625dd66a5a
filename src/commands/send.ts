import type { Command } from './types.js';

/** send <text>: the rest of the line, spaces kept, to the other process. */
export const send: Command = {
  name: 'send',
  args: '<text>',
  maxArgs: 'rest',
  summary: 'send a string (the rest of the line, up to 127 bytes) to the other process',
  run(ctx, rest) {
    if (!ctx.simpleMp) {
      ctx.session.append('error', 'cannot send: this process has no simple_mp channel');
      return;
    }
    const groupPids = new Set([...(ctx.control?.supervisor.list().map((c) => c.pid) ?? []), ...(ctx.control?.group.processes.map((p) => p.pid) ?? [])]);
    const nobody = ctx.simpleMp.nobodyReceives(groupPids);
    // A secondary's message would wait for good: refuse it.
    if (nobody && ctx.simpleMp.role !== 'primary') {
      ctx.session.append('error', `nobody receives: ${nobody}; nothing was sent`);
      return;
    }
    const r = ctx.simpleMp.send(rest);
    if (!r.ok) ctx.session.append(r.reason === 'ring-full' ? 'output' : 'error', r.message);
    else if (nobody) ctx.session.append('info', `${nobody}: the message waits in PRI_2_SEC for the next one`);
  },
};
