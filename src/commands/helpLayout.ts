/**
 * `help`'s list laid out for the screen it lands on: within its width, with
 * a hanging indent, and within one screenful, as `man` or bash's `help`
 * would. The fullest form that fits is used: summaries wrapped under their
 * own column, then one line per command (summaries cut), then the usages
 * alone in columns. `help <command>` always has the details.
 */
import type { Command } from './types.js';

export interface HelpSize {
  columns: number;
  /** Lines the help may take; Infinity where nothing scrolls away (line mode). */
  rows: number;
}

const HEADER = "Commands ('help <command>' explains one; Tab completes):";
const KEYS =
  'Keys: on an empty prompt < and > sort the panel, / filters it, Esc clears the filter or leaves show, PgUp/PgDn page; Tab completes, Up/Down recall, Ctrl-L redraws.';

/** Words of `text` in lines of at most `width`, the later ones after `indent` spaces; a word longer than a line is cut. */
export function wrapWords(text: string, width: number, indent = 0, firstWidth = width): string[] {
  const lines: string[] = [];
  let line = '';
  let room = firstWidth;
  for (let word of text.split(/\s+/).filter(Boolean)) {
    while (word.length > 0) {
      if (line === '' && word.length > room) {
        lines.push(word.slice(0, room));
        word = word.slice(room);
        room = width - indent;
        continue;
      }
      if (line !== '' && line.length + 1 + word.length > room) {
        lines.push(line);
        line = '';
        room = width - indent;
        continue;
      }
      line = line === '' ? word : `${line} ${word}`;
      word = '';
    }
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines.map((l, i) => (i === 0 ? l : ' '.repeat(indent) + l));
}

const usageOf = (c: Command) => `${c.name} ${c.args}`.trim();
/** `text` within `width`: cut at the last word that fits (mid-word only when a word is half the width), then '…'. */
function cut(text: string, width: number): string {
  if (text.length <= width) return text;
  const room = text.slice(0, Math.max(0, width - 1));
  const space = room.lastIndexOf(' ');
  return `${space > width / 2 ? room.slice(0, space).replace(/[,;:(]+$/, '') : room}…`;
}

function withSummaries(commands: readonly Command[], columns: number, wrap: boolean, wrapKeys: boolean): string[] {
  // The usage column is as wide as the longest usage, but leaves the summaries at least half the line.
  const usageWidth = Math.min(Math.max(...commands.map((c) => usageOf(c).length)), Math.floor(columns / 2) - 4);
  const indent = 2 + usageWidth + 2;
  const lines = [HEADER];
  for (const c of commands) {
    const usage = usageOf(c);
    const head = usage.length <= usageWidth ? `  ${usage.padEnd(usageWidth)}  ` : null;
    if (!head) lines.push(`  ${cut(usage, columns - 2)}`);
    const start = head ?? ' '.repeat(indent);
    if (wrap) lines.push(...wrapWords(c.summary, columns, indent, columns - indent).map((l, i) => (i === 0 ? start + l : l)));
    else lines.push(start + cut(c.summary, columns - indent));
  }
  lines.push(...(wrapKeys ? wrapWords(KEYS, columns, 2) : [cut(KEYS, columns)]));
  return lines;
}

function usagesInColumns(commands: readonly Command[], columns: number, rows: number): string[] {
  // As few columns as the rows left by the header and the keys allow, each usage cut to its cell.
  const keys = wrapWords(KEYS, columns, 2);
  const widest = Math.max(...commands.map((c) => usageOf(c).length)) + 2;
  const perRow = Math.max(1, Math.min(Math.floor((columns - 2) / 12), Math.ceil(commands.length / Math.max(1, rows - 1 - keys.length))));
  const cell = Math.min(widest, Math.floor((columns - 2) / perRow));
  const lineCount = Math.ceil(commands.length / perRow);
  const lines = [HEADER];
  for (let r = 0; r < lineCount; r++) {
    const cells = [];
    for (let k = 0; k < perRow && r + k * lineCount < commands.length; k++) cells.push(cut(usageOf(commands[r + k * lineCount]!), cell - 2).padEnd(cell));
    lines.push(`  ${cells.join('').trimEnd()}`);
  }
  lines.push(...keys);
  return lines;
}

/** The help text's lines for a screen of `size`. */
export function helpLines(commands: readonly Command[], size: HelpSize): string[] {
  const columns = Math.max(40, size.columns);
  for (const [wrap, wrapKeys] of [
    [true, true],
    [false, true],
    [false, false],
  ]) {
    const lines = withSummaries(commands, columns, wrap!, wrapKeys!);
    if (lines.length <= size.rows) return lines;
  }
  return usagesInColumns(commands, columns, size.rows);
}
