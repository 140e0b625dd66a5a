/**
 * Live counters, rendered from the session's group snapshot (refreshed 4
 * times a second from shared memory) through the one table model
 * (core/stats/table.ts): a row per symmetric worker and port; a row per
 * client under the server; port totals as the footer, with a header of
 * their own. Fixed-width columns in human units; narrow terminals truncate
 * rather than wrap. With `portNames`, each port total is named, or marked
 * detached.
 */
import { Box, Text } from 'ink';
import { counterTables, fixedLines, type Tone } from '../core/stats/table.js';
import type { GroupStats } from '../core/stats/types.js';

const TONE_COLOR: Record<Tone, string> = { ok: 'green', busy: 'yellow', bad: 'red' };

function Line({ text, tone, bold }: { text: string; tone?: Tone; bold?: boolean }) {
  return (
    <Text color={tone ? TONE_COLOR[tone] : undefined} bold={bold} wrap="truncate">
      {text}
    </Text>
  );
}

export function StatsPanel({ group, portNames }: { group: GroupStats; portNames?: string[] }) {
  if (group.processes.length === 0) return null;
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="gray" paddingX={1}>
      {counterTables(group, { uptime: true, portNames }).map((t) => {
        const lines = fixedLines(t);
        return [
          <Line key={`${t.key}:head`} text={lines.head} bold />,
          ...t.rows.map((r, i) => <Line key={r.key} text={lines.rows[i]!} tone={r.tone} />),
        ];
      })}
    </Box>
  );
}
