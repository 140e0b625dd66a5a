import { UsageError } from '../core/util/errors.js';
import { shown, words } from './parse.js';
import { helpLines, wrapWords } from './helpLayout.js';
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
      const columns = ctx.session.screen?.columns ?? 80;
      const usage = wrapWords(`usage: ${`${c.name} ${c.args}`.trim()}`, columns, 7);
      ctx.session.append(
        'output',
        [...usage, ...wrapWords(c.summary, columns, 2, columns - 2).map((l, i) => (i === 0 ? `  ${l}` : l)), ...(c.details ? ['', c.details] : [])].join('\n'),
      );
      return;
    }
    // On the TTY: its width, and the rows above its echo, the key hint (under a panel), the prompt and the status line; line mode: 80 columns, any length.
    const screen = ctx.session.screen;
    const lines = helpLines(ctx.commands, screen ? { columns: screen.columns, rows: screen.rows - 4 } : { columns: 80, rows: Infinity });
    ctx.session.append('output', lines.join('\n'));
  },
};
