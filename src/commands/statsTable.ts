/** The counter tables of `stats`: symmetric workers per port, then the client-server group, then port totals. */
import type { GroupStats, ProcessRow } from '../core/groupStats.js';
import { human } from '../core/units.js';

function table(head: string[], rows: string[][], rightFrom: number): string {
  const all = [head, ...rows];
  const widths = head.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  return all.map((r) => r.map((c, i) => (i >= rightFrom ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n');
}

const stateText = (p: ProcessRow) => (p.idle ? `${p.state} (idle)` : p.client?.skipped ? `${p.state} (skipped)` : p.state);

function symmetricTable(rows: ProcessRow[]): string {
  const out: string[][] = [];
  for (const p of rows) {
    if (p.ports.length === 0) out.push([p.name, String(p.pid || '-'), stateText(p), '-', '', '', '', '', '']);
    p.ports.forEach((port, i) =>
      out.push([
        i === 0 ? p.name : '',
        i === 0 ? String(p.pid || '-') : '',
        i === 0 ? stateText(p) : '',
        String(port.port),
        human(port.rx),
        human(port.tx),
        human(port.drop),
        human(port.rxPps),
        human(port.txPps),
      ]),
    );
  }
  return table(['NAME', 'PID', 'STATE', 'PORT', 'RX', 'TX', 'DROP', 'RX/s', 'TX/s'], out, 3);
}

function clientServerTable(rows: ProcessRow[]): string {
  const out = rows.map((p) => {
    if (p.client) {
      const c = p.client;
      return [p.name, String(p.pid || '-'), stateText(p), human(c.rx), human(c.rxDrop), human(c.tx), human(c.txDrop), human(c.rxPps), human(c.txPps)];
    }
    const rx = p.ports.reduce((a, x) => a + x.rx, 0);
    const pps = p.ports.reduce((a, x) => a + x.rxPps, 0);
    return [p.name, String(p.pid || '-'), stateText(p), human(rx), human(p.noClientDrop ?? 0), '', '', human(pps), ''];
  });
  return table(['NAME', 'PID', 'STATE', 'RX', 'RX_DROP', 'TX', 'TX_DROP', 'RX/s', 'TX/s'], out, 3);
}

export function statsTable(g: GroupStats): string {
  const parts: string[] = [];
  const sym = g.processes.filter((p) => p.role === 'symmetric');
  const cs = g.processes.filter((p) => p.role === 'server' || p.role === 'client');
  const other = g.processes.filter((p) => !sym.includes(p) && !cs.includes(p));
  if (sym.length + other.length > 0) parts.push(symmetricTable([...sym, ...other]));
  if (cs.length > 0) parts.push(clientServerTable(cs));
  parts.push(
    table(
      ['PORT', 'RX', 'TX', 'DROP', 'RX/s', 'TX/s'],
      g.ports.map((t) => [String(t.port), human(t.rx), human(t.tx), human(t.drop), human(t.rxPps), human(t.txPps)]),
      0,
    ),
  );
  return parts.join('\n\n');
}
