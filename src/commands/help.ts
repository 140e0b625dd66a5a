import type { Command } from './types.js';

export const help: Command = {
  name: 'help',
  args: '',
  summary: 'list the commands',
  run(ctx) {
    const width = Math.max(...ctx.commands.map((c) => `${c.name} ${c.args}`.trim().length));
    const lines = ['mpsh: simple_mp-compatible shell for DPDK multi-process applications', '', 'Commands:'];
    for (const c of ctx.commands) lines.push(`  ${`${c.name} ${c.args}`.trim().padEnd(width)}  ${c.summary}`);
    ctx.session.append('output', lines.join('\n'));
  },
};
