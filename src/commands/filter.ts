import { UsageError } from '../core/util/errors.js';
import type { Command } from './types.js';

/** filter <text>: only rows whose name, role or state contains the text. */
export const filter: Command = {
  name: 'filter',
  maxArgs: 'rest',
  args: '[text]',
  summary: 'show only processes whose name, role or state contains the text (no text: all)',
  details: '  e.g. filter client1, filter killed. Key on an empty prompt: / starts a filter line; Esc clears it.',
  run(ctx, rest) {
    const text = rest.trim();
    if (text.length > 40) throw new UsageError('a filter is at most 40 characters');
    ctx.session.setView({ filter: text, scroll: 0 });
    ctx.session.append('info', text ? `showing processes matching '${text}'` : 'showing every process');
  },
};
