/**
 * Plain line mode for pipes, scripts and CI: the stock `simple_mp > ` prompt,
 * one command per line, every output line written as it happens (stdout
 * writes to pipes and files are synchronous in Node on Linux), exit at end of
 * input. Scripts written for stock simple_mp run unchanged.
 */
import readline from 'node:readline';
import type { LogEntry } from '../core/session.js';
import type { Shell } from '../shell.js';

/** `onReady` runs once output is attached, so nothing received before is missed. */
export async function runLineMode(shell: Shell, onReady: () => void, input: NodeJS.ReadableStream = process.stdin): Promise<void> {
  const out = (s: string) => process.stdout.write(s);
  shell.session.onEntry((e: LogEntry) => out(`${e.text}\n`));
  const prompt = () => out(`\n${shell.session.prompt}`);
  onReady();
  prompt();
  const rl = readline.createInterface({ input, terminal: false, crlfDelay: Infinity });
  for await (const line of rl) {
    await shell.execute(line);
    prompt();
  }
  out('\n');
}
