/** One log entry on the TTY screen, coloured by its kind; Ink wraps it between words. */
import { Box, Text } from 'ink';
import type { LogEntry } from '../core/shell/session.js';

const COLORS: Record<LogEntry['kind'], string | undefined> = {
  message: 'cyan',
  output: undefined,
  info: 'yellow',
  error: 'red',
  log: undefined,
  data: undefined,
};

export function LogLine({ entry }: { entry: LogEntry }) {
  // A document to copy keeps its one line: a box at least as wide as it (two
  // columns a character covers wide glyphs; Ink trims the rest), so Ink does
  // not wrap it with newlines inside its strings; the terminal soft-wraps it.
  if (entry.kind === 'data')
    return (
      <Box width={Math.max(1, 2 * entry.text.length)} flexShrink={0}>
        <Text wrap="truncate">{entry.text === '' ? ' ' : entry.text}</Text>
      </Box>
    );
  // EAL's and the drivers' log lines are dim: the shell's own output stands out.
  return (
    <Text color={COLORS[entry.kind]} dimColor={entry.kind === 'log'}>
      {entry.text === '' ? ' ' : entry.text}
    </Text>
  );
}
