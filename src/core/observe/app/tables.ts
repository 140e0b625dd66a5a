/**
 * The app's rows in the shared table model (stats/table.ts): its processes
 * for `ps`, its ports for `stats` and the panel, and the text of
 * `show port <id>` and `show <app process>`.
 */
import { duration, human } from '../../util/units.js';
import type { Table } from '../stats/table.js';
import type { AppPort, AppProcess, AppView } from './types.js';

const text = (title: string, width: number) => ({ title, width });
const num = (title: string, width = 8) => ({ title, width, right: true });

const toneOfState = (state: string) => (state.startsWith('running') ? ('ok' as const) : ('bad' as const));

/** `ps`: the app's processes (the primary first). */
export function appProcessTable(a: AppView): Table {
  const rows = [...a.processes].sort((x, y) => Number(y.primary) - Number(x.primary) || x.pid - y.pid);
  return {
    key: 'app-ps',
    columns: [text('NAME', 16), text('ROLE', 9), num('PID', 7), text('STATE', 10), text('UPTIME', 6), num('CPU%', 5), text('COMMAND', 30)],
    rows: rows.map((p) => ({
      key: `app:${p.pid}`,
      cells: [p.name, p.role, String(p.pid), p.state, duration(p.uptimeMs), (p.cpu * 100).toFixed(0), p.cmdline],
      tone: toneOfState(p.state),
    })),
  };
}

const lost = (p: AppPort) => (p.stats ? p.stats.imissed + p.stats.ierrors + p.stats.rxNombuf : 0n);

/** The app's ports as ethdev counts them (whoever forwards on them). */
export function appPortTable(a: AppView): Table {
  return {
    key: 'app-ports',
    title: 'ports (ethdev)',
    columns: [num('PORT', 4), text('NAME', 12), num('RX'), num('TX'), num('RX/s'), num('TX/s'), num('RX_LOST'), num('TX_ERR'), text('LINK', 5)],
    rows: a.ports.map((p) => ({
      key: `app-port:${p.port}`,
      cells: p.stats
        ? [
            String(p.port),
            p.name,
            human(p.stats.ipackets),
            human(p.stats.opackets),
            human(p.rxPps),
            human(p.txPps),
            human(lost(p)),
            human(p.stats.oerrors),
            p.info?.link ? (p.info.link.up ? 'up' : 'down') : '?',
          ]
        : [String(p.port), p.name, '-', '-', '-', '-', '-', '-', p.error ?? '?'],
      tone: p.error ? ('bad' as const) : lost(p) > 0n ? ('busy' as const) : ('ok' as const),
    })),
  };
}

/** `show port <id>`: what the port is, its counters, per queue, and every xstat. */
export function appPortLines(p: AppPort): string[] {
  const out = [`port ${p.port} ${p.name}`];
  const i = p.info;
  if (i) {
    const link = i.link
      ? `${i.link.up ? 'up' : 'down'}${i.link.speedMbps !== undefined ? ` ${i.link.speedMbps} Mbps` : ''}${i.link.fullDuplex ? ' full-duplex' : ''}`
      : 'unknown';
    out.push(`  driver ${i.driver}, socket ${i.socket}, ${i.rxQueues} RX / ${i.txQueues} TX queues (max ${i.maxRxQueues}/${i.maxTxQueues})`);
    out.push(`  MAC ${i.mac ?? '?'}, MTU ${i.mtu ?? '?'}, promiscuous ${i.promiscuous === undefined ? '?' : i.promiscuous ? 'on' : 'off'}, link ${link}`);
  }
  if (p.error) out.push(`  cannot read: ${p.error}`);
  const s = p.stats;
  if (s) {
    out.push(`  rx ${s.ipackets} packets ${s.ibytes} bytes (${human(p.rxPps)}/s), missed ${s.imissed}, errors ${s.ierrors}, no mbuf ${s.rxNombuf}`);
    out.push(`  tx ${s.opackets} packets ${s.obytes} bytes (${human(p.txPps)}/s), errors ${s.oerrors}`);
    s.qIpackets.forEach((v, q) => out.push(`  rx queue ${q}: ${v} packets ${s.qIbytes[q]} bytes ${s.qErrors[q]} errors`));
    s.qOpackets.forEach((v, q) => out.push(`  tx queue ${q}: ${v} packets ${s.qObytes[q]} bytes`));
  }
  if (p.xstats.length > 0) {
    out.push(`  xstats (${p.xstats.length}):`);
    const w = Math.max(...p.xstats.map((x) => x.name.length));
    for (const x of p.xstats) out.push(`    ${x.name.padEnd(w)}  ${x.value}`);
  }
  return out;
}

/** `show <name>` for one of the app's processes. */
export function appProcessLines(p: AppProcess): string[] {
  return [`${p.name}: ${p.role} pid ${p.pid}, ${p.state}, up ${duration(p.uptimeMs)}, CPU ${(p.cpu * 100).toFixed(0)}%`, `  command: ${p.cmdline}`];
}
