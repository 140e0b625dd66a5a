/**
 * Live counters, rendered from the session's snapshot through the panel
 * model (core/observe/stats/panel.ts), which lays the rows out for this terminal:
 * a row per process with its last minute of rx/s, a note of hidden rows,
 * port totals under their own headers. Or, while `show` focuses a process,
 * its detail lines. The box is exactly as wide as the terminal, so its
 * right border stays in one column; every line is cut to fit, never wrapped.
 * With the status line's port names, each port total is named, or marked
 * detached.
 */
import { Box, Text } from 'ink';
import { panelHasRows } from '../core/observe/app/panelLines.js';
import { panelLines, type PanelLine } from '../core/observe/stats/panel.js';
import type { Tone } from '../core/observe/stats/table.js';
import type { SessionSnapshot } from '../core/shell/session.js';

const TONE_COLOR: Record<Tone, string> = { ok: 'green', busy: 'yellow', bad: 'red' };

/** Lines the screen keeps for itself below the panel (hint, prompt, status) and one so the terminal never scrolls. */
const BELOW_ROWS = 4;
/** Lines kept above the panel for the newest command output: a sixth of the terminal, 3 to 10. */
const logRows = (rows: number) => Math.max(3, Math.min(10, Math.floor(rows / 6)));
/** The border (top and bottom). */
const FRAME_ROWS = 2;

function Line({ line }: { line: PanelLine }) {
  return (
    <Text color={line.tone ? TONE_COLOR[line.tone] : undefined} bold={line.bold} dimColor={line.dim} wrap="truncate">
      {line.text === '' ? ' ' : line.text}
    </Text>
  );
}

export interface PanelProps {
  snap: SessionSnapshot;
  columns: number;
  rows: number;
}

/** The panel's inner size for a terminal size. */
export function innerSize(columns: number, rows: number) {
  return { width: Math.max(20, columns - 4), height: Math.max(4, rows - BELOW_ROWS - logRows(rows) - FRAME_ROWS) };
}

/** The detail lines that fit; the last one says how many did not. */
function detailView(detail: readonly string[], size: { width: number; height: number }): PanelLine[] {
  const fits =
    detail.length <= size.height
      ? detail
      : [...detail.slice(0, size.height - 1), `… ${detail.length - size.height + 1} more lines: a taller terminal shows them`];
  return fits.map((text, i) => ({ text: text.slice(0, size.width), bold: i === 0, dim: i === size.height - 1 && fits !== detail }));
}

export function StatsPanel({ snap, columns, rows }: PanelProps) {
  const size = innerSize(columns, rows);
  let lines: PanelLine[];
  if (snap.view.focus && snap.detail) lines = detailView(snap.detail, size);
  else if (!panelHasRows(snap.group)) return null;
  else lines = panelLines(snap.group, snap.history, snap.view, { ...size, portNames: snap.status?.portNames }).lines;
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={snap.view.frozen ? 'yellow' : 'gray'} paddingX={1} width={columns} flexShrink={0}>
      {lines.map((l, i) => (
        <Line key={i} line={l} />
      ))}
    </Box>
  );
}

/** The keys, for the footer under the panel (or, with no panel, for the first screen), as many as fit `columns`. */
export function keyHint(snap: SessionSnapshot, columns = Infinity): string {
  const state = snap.view.frozen ? 'FROZEN (resume) · ' : '';
  if (snap.view.focus) return `${state}showing ${snap.view.focus} · Esc: back to the table`.slice(0, columns);
  const parts =
    snap.group.processes.length === 0
      ? ['type help for the commands', 'Tab completes', 'Up/Down recall', 'Ctrl-L redraws', 'Ctrl-D quits']
      : ['empty prompt: < > sort', '/ filter', 'Esc clear', 'PgUp/PgDn page', 'help'];
  // Whole parts only: a hint cut mid-word says nothing.
  while (parts.length > 1 && `${state}${parts.join(' · ')}`.length > columns) parts.pop();
  return `${state}${parts.join(' · ')}`.slice(0, columns);
}
