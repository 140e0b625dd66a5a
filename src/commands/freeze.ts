import type { Command } from './types.js';

/** freeze: the panel stops redrawing; counters and history are still sampled. */
export const freeze: Command = {
  name: 'freeze',
  maxArgs: 0,
  args: '',
  summary: 'stop redrawing the live panel (sampling and history go on); resume redraws',
  run(ctx) {
    ctx.session.setView({ frozen: true });
    ctx.session.append('info', 'panel frozen: resume to redraw (history is still recorded)');
  },
};
