/**
 * Live counters, rendered from the session's group snapshot (refreshed 4
 * times a second from shared memory): a row per symmetric worker and port;
 * a row per client (rx, rx_drop, tx, tx_drop, rates) under the server; port
 * totals as the footer, with a header of their own (their columns are not
 * the client-server table's). Fixed-width columns in human units; narrow terminals
 * truncate rather than wrap.
 */
import { Box, Text } from 'ink';
import type { GroupStats, ProcessRow } from '../core/groupStats.js';
import { duration, human } from '../core/units.js';

interface Col {
  title: string;
  width: number;
  right?: boolean;
}

const HEAD: Col[] = [
  { title: 'NAME', width: 8 },
  { title: 'PID', width: 7, right: true },
  { title: 'STATE', width: 16 },
  { title: 'UP', width: 6, right: true },
];
const num = (title: string, width = 8): Col => ({ title, width, right: true });
const SYM: Col[] = [...HEAD, num('PORT', 4), num('RX'), num('TX'), num('DROP'), num('RX/s'), num('TX/s')];
const CS: Col[] = [...HEAD, num('RX'), num('RX_DROP'), num('TX'), num('TX_DROP'), num('RX/s'), num('TX/s')];
const PORTS: Col[] = [{ title: '', width: 40 }, num('PORT', 4), num('RX'), num('TX'), num('DROP'), num('RX/s'), num('TX/s')];

function line(cols: Col[], cells: string[]): string {
  return cells.map((c, i) => (cols[i]!.right ? c.padStart(cols[i]!.width) : c.padEnd(cols[i]!.width))).join(' ');
}

const STATE_COLOR: Record<string, string> = { running: 'green', starting: 'yellow', stopping: 'yellow' };
const colorOf = (p: ProcessRow) => STATE_COLOR[p.state] ?? (p.state.startsWith('running') ? 'green' : 'red');
const stateOf = (p: ProcessRow) => (p.idle ? `${p.state} (idle)` : p.client?.skipped ? `${p.state} (skipped)` : p.state);
const head = (p: ProcessRow) => [p.name, p.pid ? String(p.pid) : '-', stateOf(p), p.uptimeMs ? duration(p.uptimeMs) : '-'];

function Row({ cols, cells, color, bold }: { cols: Col[]; cells: string[]; color?: string; bold?: boolean }) {
  return (
    <Text color={color} bold={bold} wrap="truncate">
      {line(cols, cells)}
    </Text>
  );
}

function SymmetricRows({ rows }: { rows: ProcessRow[] }) {
  return (
    <>
      <Row cols={SYM} cells={SYM.map((c) => c.title)} bold />
      {rows.flatMap((p) =>
        p.ports.length === 0
          ? [<Row key={p.name} cols={SYM} cells={[...head(p), '-', '', '', '', '', '']} color={colorOf(p)} />]
          : p.ports.map((port, i) => (
              <Row
                key={`${p.name}:${port.port}`}
                cols={SYM}
                color={i === 0 ? colorOf(p) : undefined}
                cells={[...(i === 0 ? head(p) : ['', '', '', '']), String(port.port), human(port.rx), human(port.tx), human(port.drop), human(port.rxPps), human(port.txPps)]}
              />
            )),
      )}
    </>
  );
}

function ClientServerRows({ rows }: { rows: ProcessRow[] }) {
  return (
    <>
      <Row cols={CS} cells={CS.map((c) => c.title)} bold />
      {rows.map((p) => {
        const c = p.client;
        const cells = c
          ? [human(c.rx), human(c.rxDrop), human(c.tx), human(c.txDrop), human(c.rxPps), human(c.txPps)]
          : [human(p.ports.reduce((a, x) => a + x.rx, 0)), human(p.noClientDrop ?? 0), '', '', human(p.ports.reduce((a, x) => a + x.rxPps, 0)), ''];
        return <Row key={p.name} cols={CS} cells={[...head(p), ...cells]} color={colorOf(p)} />;
      })}
    </>
  );
}

/** The name of a port in the totals, or that it is gone (detached while its counters remain). */
function portLabel(port: number, portNames: string[] | undefined): string {
  if (!portNames) return '';
  const entry = portNames.find((n) => n.startsWith(`${port} `));
  return entry ? entry.slice(entry.indexOf(' ') + 1) : '(detached)';
}

export function StatsPanel({ group, portNames }: { group: GroupStats; portNames?: string[] }) {
  if (group.processes.length === 0) return null;
  const cs = group.processes.filter((p) => p.role === 'server' || p.role === 'client');
  const sym = group.processes.filter((p) => !cs.includes(p));
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="gray" paddingX={1}>
      {sym.length > 0 && <SymmetricRows rows={sym} />}
      {cs.length > 0 && <ClientServerRows rows={cs} />}
      {group.ports.length > 0 && <Row cols={PORTS} bold cells={['port totals', ...PORTS.slice(1).map((c) => c.title)]} />}
      {group.ports.map((t) => (
        <Row
          key={`total:${t.port}`}
          cols={PORTS}
          cells={[portLabel(t.port, portNames), String(t.port), human(t.rx), human(t.tx), human(t.drop), human(t.rxPps), human(t.txPps)]}
        />
      ))}
    </Box>
  );
}
