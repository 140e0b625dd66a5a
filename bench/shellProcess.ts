/**
 * One simple_mp-style shell (mpsh or stock) driven through pipes: lines in on
 * stdin, `simple_mp > ` prompts and `core N: Received '<text>'` lines out on
 * stdout, each timestamped the moment its chunk arrives.
 *
 * Spawning, output tails, waits and stopping are WatchedProcess's; it tracks
 * every process (children.ts) until it exits, so the bench can stop them all
 * on an error or a signal, and none outlives the bench.
 */
import { WatchedProcess, type Argv, type Stream } from '../harness/watchedProcess.js';

export const PROMPT = 'simple_mp > ';

export interface Received {
  lcore: number;
  text: string;
  /** process.hrtime.bigint() when the chunk holding the line arrived. */
  at: bigint;
}

// Lines the receiving lcore writes. Each is a single write(2) well under
// PIPE_BUF, so it reaches the pipe whole, but stock simple_mp writes its
// prompt and echo one byte at a time from another thread: such a line can
// land inside the prompt ("simple_" + line + "mp > "). Cutting these lines out
// of the stream first leaves prompts and echoes intact to match.
const RECEIVED_LINE = /core (\d+): Received '(.*)'\r?\n/g;
const STARTING_LINE = /Starting core \d+\r?\n/g;
const TAIL_CHARS = 2048;

const nsToMs = (ns: bigint): number => Number(ns) / 1e6;

export class ShellProcess extends WatchedProcess {
  /** Stdout not yet matched; kept short, since only the first prompt and whole received lines matter. */
  private pending = '';
  private promptAt: bigint | null = null;
  private receiveListener: ((r: Received) => void) | null = null;

  constructor(label: string, argv: Argv, cwd: string) {
    super(label, argv, { cwd, stdin: 'pipe', tailChars: TAIL_CHARS });
  }

  protected override onOutput(stream: Stream, chunk: string, at: bigint): void {
    if (stream !== 'out') return;
    const received: Received[] = [];
    this.pending = (this.pending + chunk).replace(STARTING_LINE, '').replace(RECEIVED_LINE, (_m, lcore: string, text: string) => {
      received.push({ lcore: Number(lcore), text, at });
      return '';
    });
    if (this.promptAt === null && this.pending.includes(PROMPT)) this.promptAt = at;
    // Keep enough for a partial received line (messages are at most 127 bytes) to complete with the next chunk.
    if (this.pending.length > 4 * TAIL_CHARS) this.pending = this.pending.slice(-TAIL_CHARS);
    for (const r of received) this.receiveListener?.(r);
  }

  /** Called for every received line, in order; one listener at a time. */
  onReceive(listener: ((r: Received) => void) | null): void {
    this.receiveListener = listener;
  }

  /** Milliseconds from spawn to the first prompt on stdout. */
  async waitForPrompt(timeoutMs: number): Promise<number> {
    await this.waitUntil(() => this.promptAt !== null, timeoutMs, 'its first prompt');
    return nsToMs(this.promptAt! - this.spawnedAt);
  }

  /**
   * Graceful first (`quit`, then end of input), so EAL cleans up as a user
   * would see it; SIGTERM if that hangs (stock simple_mp at end of input
   * leaves its lcore loop spinning forever), SIGKILL as the last resort.
   */
  quit(): Promise<void> {
    return this.endInput('quit', 5_000);
  }
}
