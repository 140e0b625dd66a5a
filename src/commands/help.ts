import { UsageError } from '../core/util/errors.js';
import { shown, words } from './parse.js';
import type { Command } from './types.js';

export const help: Command = {
  name: 'help',
  args: '[command]',
  maxArgs: 1,
  summary: 'list the commands, or explain one',
  complete: (ctx, partial) => ctx.commands.map((c) => c.name).filter((n) => n.startsWith(partial)),
  run(ctx, rest) {
    const [name] = words(rest);
    if (name !== undefined) {
      const c = ctx.commands.find((x) => x.name === name);
      if (!c) throw new UsageError(`no command '${shown(name)}': help lists them`);
      ctx.session.append('output', [`usage: ${`${c.name} ${c.args}`.trim()}`, `  ${c.summary}`, ...(c.details ? ['', c.details] : [])].join('\n'));
      return;
    }
    const width = Math.max(...ctx.commands.map((c) => `${c.name} ${c.args}`.trim().length));
    const lines = ['mpsh: simple_mp-compatible shell for DPDK multi-process applications', '', 'Commands:'];
    for (const c of ctx.commands) lines.push(`  ${`${c.name} ${c.args}`.trim().padEnd(width)}  ${c.summary}`);
    lines.push(
      '',
      'Keys in the live view (TTY): on an empty prompt < and > sort by the previous/next column,',
      '  / starts a filter line, Esc clears the filter or leaves show; PgUp/PgDn page through the rows.',
    );
    lines.push('', "'help <command>' explains one.");
    ctx.session.append('output', lines.join('\n'));
  },
};
