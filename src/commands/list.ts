import { listPorts } from '../core/ports/hotplug.js';
import { usersOf } from '../core/observe/stats/portUsers.js';
import type { Command } from './types.js';

/**
 * list: the stock hotplug_mp lines (`<port>\t<name>`), then two more
 * columns: the processes of the group using the port, and its link.
 */
export const list: Command = {
  name: 'list',
  args: '',
  summary: 'list the Ethernet ports: id, name, the processes using it, link',
  maxArgs: 0,
  run(ctx) {
    const group = ctx.control?.sample();
    const lines = ['list all etherdev'];
    for (const p of listPorts(group && ((port) => usersOf(port, group))))
      lines.push(`${p.port}\t${p.name}\t${p.users.length ? p.users.join(',') : '-'}\t${p.linkUp ? 'link up' : 'link down'}`);
    ctx.session.append('output', lines.join('\n'));
  },
};
