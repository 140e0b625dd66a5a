import { Box, Text } from 'ink';
import type { StatusInfo } from '../core/shell/session.js';

export function StatusLine({ status }: { status: StatusInfo | null }) {
  if (!status) return null;
  return (
    <Box>
      <Text dimColor wrap="truncate">
        {status.processType} · prefix {status.filePrefix} · lcores {status.lcores.join(',')} · ports {status.ports} · {status.mode}
      </Text>
    </Box>
  );
}
