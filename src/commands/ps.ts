import { duration } from '../core/units.js';
import { requireControl } from './context.js';
import type { Command } from './types.js';

export const ps: Command = {
  name: 'ps',
  args: '',
  maxArgs: 0,
  summary: 'list the processes of the group: name, role, pid, state, uptime, idle policy',
  run(ctx) {
    const g = requireControl(ctx).sample();
    if (g.processes.length === 0) {
      ctx.session.append('output', 'no processes: spawn symmetric <N>, or spawn server --clients <N> --start-clients');
      return;
    }
    const idle = (p: (typeof g.processes)[number]) => (p.idlePolicy ? (p.idlePolicy.mode === 'poll' ? 'poll' : `${p.idlePolicy.mode} (${p.idlePolicy.waitsOn})`) : '');
    const rows = [
      ['NAME', 'ROLE', 'PID', 'STATE', 'UPTIME', 'IDLE POLICY'],
      ...g.processes.map((p) => [p.name, p.role, p.pid > 0 ? String(p.pid) : '-', p.idle ? `${p.state} (idle)` : p.state, p.uptimeMs ? duration(p.uptimeMs) : '-', idle(p)]),
    ];
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    ctx.session.append('output', rows.map((r) => r.map((c, i) => (i === 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n'));
  },
};
