import { listPorts } from '../core/ports/hotplug.js';
import { portLinkText } from '../core/ports/interfaceNamespace.js';
import { usersOf } from '../core/observe/stats/portUsers.js';
import type { Command } from './types.js';

/**
 * list: the stock hotplug_mp lines (`<port>\t<name>`), then two more
 * columns: the processes of the group using the port, and its link (for a
 * tap port whose interface moved into a namespace: its state there, and where).
 */
export const list: Command = {
  name: 'list',
  args: '',
  summary: 'list the Ethernet ports: id, name, the processes using it, link',
  maxArgs: 0,
  async run(ctx) {
    const group = ctx.control?.sample();
    const ports = listPorts(group && ((port) => usersOf(port, group)));
    const links = await Promise.all(ports.map((p) => portLinkText(p.port, p.linkUp)));
    const lines = ['list all etherdev'];
    for (const [k, p] of ports.entries()) lines.push(`${p.port}\t${p.name}\t${p.users.length ? p.users.join(',') : '-'}\t${links[k]!}`);
    ctx.session.append('output', lines.join('\n'));
  },
};
