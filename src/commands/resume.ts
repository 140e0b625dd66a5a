import type { Command } from './types.js';

/** resume: the panel redraws again, from the newest sample. */
export const resume: Command = {
  name: 'resume',
  maxArgs: 0,
  args: '',
  summary: 'redraw the live panel again after freeze',
  run(ctx) {
    ctx.session.setView({ frozen: false });
    ctx.session.append('info', 'panel live');
  },
};
