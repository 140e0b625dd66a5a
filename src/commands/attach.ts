import { attach as attachDevice, planAttach } from '../core/ports/hotplug.js';
import { requireControl } from './context.js';
import type { Command } from './types.js';

/** Virtual device drivers of DPDK 22.11 that need nothing but a name or a file (Tab completion). */
const DRIVERS = ['net_null', 'net_ring', 'net_tap', 'net_pcap', 'net_af_packet'];

/** attach <devargs>: probe a device in every process of the prefix (stock hotplug_mp's attach). */
export const attach: Command = {
  name: 'attach',
  args: '<devargs>',
  summary: 'attach a device in every process of the prefix (e.g. attach net_null2)',
  maxArgs: 1,
  details: [
    '  attach net_null2 | net_ring2 | net_tap2,iface=tap2 | net_pcap2,rx_pcap=in.pcap,tx_pcap=out.pcap',
    'Works from a primary or a secondary; the primary probes the device, then every secondary',
    'does, and all roll back if one fails. Prints `attached device <name>` as stock hotplug_mp.',
    'Refused up front: devargs that no driver takes, a name that exists, devargs over 127 bytes',
    '(DPDK 22.11 cuts them in the multi-process message), pcap arguments over 63 characters',
    '(the pcap driver in secondaries re-reads a 64-byte copy), and any process of the prefix',
    'that would not answer (stopped, or its socket held by a leftover child): they are named.',
  ].join('\n'),
  complete: (_ctx, partial) => (partial.includes(',') ? [] : DRIVERS.filter((d) => d.startsWith(partial))),
  async run(ctx, rest) {
    const { eal } = requireControl(ctx);
    const plan = planAttach(rest);
    await attachDevice(plan, eal.runtimeDir, eal.processType);
    ctx.session.append('output', `attached device ${plan.name}`);
  },
};
