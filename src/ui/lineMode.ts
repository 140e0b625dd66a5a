/**
 * Plain line mode for pipes, scripts and CI: the stock `simple_mp > ` prompt,
 * one command per line, every output line written as it happens (stdout
 * writes to pipes and files are synchronous in Node on Linux), exit at end of
 * input. Scripts written for stock simple_mp run unchanged.
 *
 * Input is split on LF only (a CRLF ending loses its CR): a bare CR or a NUL
 * stays inside its line, so one line is never two commands. Bytes that are
 * not UTF-8 are kept (see core/util/text.ts). A line longer than the limit is not
 * kept in memory: its start and its length are, and the registry refuses it.
 */
import type { LogEntry } from '../core/shell/session.js';
import { decodeBytes, MAX_LINE_CHARS } from '../core/util/text.js';
import type { Shell } from '../shell.js';

/** Splits a byte stream into lines; a line's bytes past `limit` are counted, not kept. */
export async function* inputLines(input: AsyncIterable<Buffer | string>, limit = MAX_LINE_CHARS * 4): AsyncGenerator<string> {
  let parts: Buffer[] = [];
  let kept = 0;
  let dropped = 0;
  const take = (b: Buffer) => {
    const room = limit + 1 - kept;
    if (room > 0) {
      const part = b.length > room ? b.subarray(0, room) : b;
      parts.push(Buffer.from(part));
      kept += part.length;
    }
    dropped += Math.max(0, b.length - Math.max(0, room));
  };
  const finish = (): string => {
    let bytes = Buffer.concat(parts, kept);
    if (dropped === 0 && bytes.at(-1) === 0x0d) bytes = bytes.subarray(0, -1);
    parts = [];
    kept = 0;
    dropped = 0;
    return decodeBytes(bytes);
  };
  for await (const chunk of input) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    let start = 0;
    for (let nl = buf.indexOf(0x0a, start); nl >= 0; nl = buf.indexOf(0x0a, start)) {
      take(buf.subarray(start, nl));
      yield finish();
      start = nl + 1;
    }
    if (start < buf.length) take(buf.subarray(start));
  }
  if (kept > 0 || dropped > 0) yield finish();
}

/** `onReady` runs once output is attached, so nothing received before is missed. */
export async function runLineMode(shell: Shell, onReady: () => void, input: AsyncIterable<Buffer | string> = process.stdin): Promise<void> {
  const out = (s: string) => process.stdout.write(s);
  shell.session.onEntry((e: LogEntry) => out(`${e.text}\n`));
  const prompt = () => out(`\n${shell.session.prompt}`);
  onReady();
  prompt();
  for await (const line of inputLines(input)) {
    await shell.execute(line);
    prompt();
  }
  out('\n');
}
