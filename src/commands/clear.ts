import type { Command } from './types.js';

/** clear: an empty screen, as clear(1) or Ctrl-L in a shell; the panel and prompt stay. */
export const clear: Command = {
  name: 'clear',
  maxArgs: 0,
  args: '',
  summary: 'clear the screen and its scrollback (Ctrl-L only redraws)',
  run(ctx) {
    ctx.session.clearScreen();
  },
};
