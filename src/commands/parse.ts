/** Command-line splitting shared by every front end. */

export interface ParsedLine {
  name: string;
  /** The rest of the line after the name and its separating blanks, spaces inside kept. */
  rest: string;
}

/**
 * null for a blank line. Any whitespace separates the name (vertical tab,
 * form feed, no-break space too); a line is one command whatever it holds:
 * front ends split input on LF only, so a bare CR or a NUL stays inside it.
 */
export function parseLine(line: string): ParsedLine | null {
  const clean = line.replace(/[\r\n]+$/, '');
  const m = /^\s*(\S+)(?:\s+([\s\S]*))?$/.exec(clean);
  if (!m) return null;
  return { name: m[1]!, rest: m[2] ?? '' };
}

/** Splits arguments on whitespace (for commands whose arguments are words). */
export function words(rest: string): string[] {
  return rest.split(/\s+/).filter(Boolean);
}

/** A printable, bounded rendering of user input for error messages. */
export function shown(text: string, max = 40): string {
  // eslint-disable-next-line no-control-regex
  const printable = text.replace(/[\x00-\x1f\x7f-\x9f]/g, '?');
  return printable.length > max ? `${printable.slice(0, max)}…` : printable;
}
