/**
 * Live counters: a row per process and port with totals and rates, port
 * totals as a footer. Rendered from the session's group snapshot, which the
 * shell refreshes 4 times a second from shared memory.
 */
import { Box, Text } from 'ink';
import type { GroupStats, PortRow } from '../core/groupStats.js';
import { duration, human } from '../core/units.js';

// 94 columns with the border: fits an 100-column terminal; narrower ones truncate, never wrap.
const COLS = [
  { title: 'NAME', width: 8 },
  { title: 'PID', width: 7, right: true },
  { title: 'STATE', width: 16 },
  { title: 'UP', width: 6, right: true },
  { title: 'PORT', width: 4, right: true },
  { title: 'RX', width: 8, right: true },
  { title: 'TX', width: 8, right: true },
  { title: 'DROP', width: 8, right: true },
  { title: 'RX/s', width: 8, right: true },
  { title: 'TX/s', width: 8, right: true },
];

function line(cells: string[]): string {
  return cells.map((c, i) => (COLS[i]!.right ? c.padStart(COLS[i]!.width) : c.padEnd(COLS[i]!.width))).join(' ');
}

function counters(p: PortRow): string[] {
  return [String(p.port), human(p.rx), human(p.tx), human(p.drop), human(p.rxPps), human(p.txPps)];
}

const STATE_COLOR: Record<string, string> = { running: 'green', starting: 'yellow', stopping: 'yellow' };

export function StatsPanel({ group }: { group: GroupStats }) {
  if (group.processes.length === 0) return null;
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="gray" paddingX={1}>
      <Text bold wrap="truncate">{line(COLS.map((c) => c.title))}</Text>
      {group.processes.map((p) => {
        const state = p.idle ? `${p.state} (idle)` : p.state;
        const color = STATE_COLOR[p.state] ?? 'red';
        const head = [p.name, String(p.pid), state, p.uptimeMs ? duration(p.uptimeMs) : '-'];
        if (p.ports.length === 0) return <Text key={p.name} color={color} wrap="truncate">{line([...head, '-', '', '', '', '', ''])}</Text>;
        return p.ports.map((port, i) => (
          <Text key={`${p.name}:${port.port}`} color={i === 0 ? color : undefined} wrap="truncate">
            {line([...(i === 0 ? head : ['', '', '', '']), ...counters(port)])}
          </Text>
        ));
      })}
      {group.ports.map((t, i) => (
        <Text key={`total:${t.port}`} bold wrap="truncate">
          {line([i === 0 ? 'total' : '', '', '', '', ...counters(t)])}
        </Text>
      ))}
    </Box>
  );
}
