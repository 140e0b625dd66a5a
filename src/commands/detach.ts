import { UsageError } from '../core/util/errors.js';
import { detach as detachDevice, findDevice, listPorts, requireResponsivePeers } from '../core/ports/hotplug.js';
import { usersOf } from '../core/observe/stats/portUsers.js';
import { appStarted } from '../core/ports/appPorts.js';
import { requireControl } from './context.js';
import { words } from './parse.js';
import type { Command } from './types.js';

/** detach [--force] <devargs | port id>: remove a device from every process of the prefix. */
export const detach: Command = {
  name: 'detach',
  args: '[--force] <devargs | port id>',
  summary: 'detach a device from every process of the prefix (e.g. detach net_null2, detach 2)',
  maxArgs: 2,
  details: [
    'Prints `detaching...` then `detached device <name>` as stock hotplug_mp.',
    'A port that a running worker, server or client uses is refused, naming them;',
    '--force stops them first (as kill does), then detaches.',
    'A port another application started (the primary, e.g. testpmd) is refused too, naming it;',
    '--force detaches it under that application.',
  ].join('\n'),
  complete: (ctx, partial) => ['--force', ...(ctx.control ? listPorts().map((p) => p.device) : [])].filter((w) => w.startsWith(partial)),
  async run(ctx, rest) {
    const control = requireControl(ctx);
    const args = words(rest);
    const force = args.includes('--force');
    const targets = args.filter((a) => a !== '--force');
    if (targets.length !== 1) throw new UsageError('usage: detach [--force] <devargs | port id>  (list shows them)');
    const dev = findDevice(targets[0]!);
    const ports = listPorts().filter((p) => p.device === dev.device);
    const group = control.sample();
    const users = [...new Set(ports.flatMap((p) => usersOf(p.port, group)))];
    const app = ports.map((p) => appStarted(p.port, control.eal.runtimeDir, control.eal.processType)).find((a) => a !== null);
    if (app && !force) {
      throw new UsageError(
        `${dev.device} (port ${ports.map((p) => p.port).join(', ')}) is started by ${app}: stop it there first (testpmd: port stop), or detach --force`,
      );
    }
    if (users.length > 0 && !force) {
      const which = ports.map((p) => p.port).join(', ');
      throw new UsageError(
        `${dev.device} (port ${which}) is in use by ${users.join(', ')}: stop ${users.length === 1 ? 'it' : 'them'} first, or detach --force`,
      );
    }
    // Nothing is stopped for a request that could not go through.
    if (users.length > 0) requireResponsivePeers(control.eal.runtimeDir, control.eal.processType, `detach ${dev.device}`);
    if (users.length > 0) {
      // The server before its clients, and the rings emptied after, as quit does.
      const stopped = await control.stopProcesses(control.liveProcesses(true).filter((p) => users.includes(p.name)));
      ctx.session.append('info', `stopped ${stopped.join(', ')}`);
    }
    await detachDevice(dev, control.eal.runtimeDir, control.eal.processType, () => ctx.session.append('output', 'detaching...'));
    ctx.session.append('output', `detached device ${dev.device}`);
  },
};
