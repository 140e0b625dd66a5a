import { Text } from 'ink';
import type { LogEntry } from '../core/shell/session.js';

const COLORS: Record<LogEntry['kind'], string | undefined> = {
  message: 'cyan',
  output: undefined,
  info: 'yellow',
  error: 'red',
};

export function LogLine({ entry }: { entry: LogEntry }) {
  return <Text color={COLORS[entry.kind]}>{entry.text === '' ? ' ' : entry.text}</Text>;
}
