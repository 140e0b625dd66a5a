import type { Command } from './types.js';

export const quit: Command = {
  name: 'quit',
  args: '',
  maxArgs: 0,
  summary: 'close the application (Ctrl-D does the same)',
  run(ctx) {
    // Awaited, so line mode prints no prompt while the workers are stopped.
    return ctx.requestQuit();
  },
};
