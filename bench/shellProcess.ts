/**
 * One simple_mp-style shell (mpsh or stock) driven through pipes: lines in on
 * stdin, `simple_mp > ` prompts and `core N: Received '<text>'` lines out on
 * stdout, each timestamped the moment its chunk arrives.
 *
 * Every process started here is tracked (children.ts) until it exits, so the
 * bench can stop them all on an error or a signal, and none outlives the bench.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { track } from './children.js';

export { signalAll } from './children.js';

export const PROMPT = 'simple_mp > ';

export interface Received {
  lcore: number;
  text: string;
  /** process.hrtime.bigint() when the chunk holding the line arrived. */
  at: bigint;
}

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
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

export class ShellProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Taken just before spawn(), which returns once exec has succeeded: start-up cost is counted from here. */
  readonly spawnedAt: bigint;
  exitStatus: ExitStatus | null = null;
  private readonly exited: Promise<ExitStatus>;
  /** Stdout not yet matched; kept short, since only the first prompt and whole received lines matter. */
  private pending = '';
  private promptAt: bigint | null = null;
  private outTail = '';
  private errTail = '';
  private receiveListener: ((r: Received) => void) | null = null;
  private wakers = new Set<() => void>();

  constructor(
    readonly label: string,
    command: string,
    args: string[],
    cwd: string,
  ) {
    this.spawnedAt = process.hrtime.bigint();
    this.child = spawn(command, args, { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    if (this.child.pid === undefined) throw new Error(`${label}: could not start ${command}`);
    this.pid = this.child.pid;
    track(this.child);
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => this.onStdout(chunk, process.hrtime.bigint()));
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      this.errTail = (this.errTail + chunk).slice(-TAIL_CHARS);
    });
    // A shell that already exited closes its stdin: a late write must not crash the bench (EPIPE).
    this.child.stdin!.on('error', () => {});
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        this.exitStatus = { code, signal };
        this.wake();
        resolve(this.exitStatus);
      });
    });
  }

  private onStdout(chunk: string, at: bigint): void {
    this.outTail = (this.outTail + chunk).slice(-TAIL_CHARS);
    const received: Received[] = [];
    this.pending = (this.pending + chunk).replace(STARTING_LINE, '').replace(RECEIVED_LINE, (_m, lcore: string, text: string) => {
      received.push({ lcore: Number(lcore), text, at });
      return '';
    });
    if (this.promptAt === null && this.pending.includes(PROMPT)) this.promptAt = at;
    // Keep enough for a partial received line (messages are at most 127 bytes) to complete with the next chunk.
    if (this.pending.length > 4 * TAIL_CHARS) this.pending = this.pending.slice(-TAIL_CHARS);
    for (const r of received) this.receiveListener?.(r);
    this.wake();
  }

  private wake(): void {
    for (const w of [...this.wakers]) w();
  }

  /** Recent output, for error messages that say what the process was doing. */
  describe(): string {
    const status = this.exitStatus ? ` (exited: ${this.exitStatus.signal ?? `code ${this.exitStatus.code}`})` : '';
    return `${this.label} pid ${this.pid}${status}\n--- stdout tail ---\n${this.outTail}\n--- stderr tail ---\n${this.errTail}`;
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

  /** Resolves once cond() holds; rejects if the process exits first or the time runs out. */
  private waitUntil(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const done = (err?: Error) => {
        clearTimeout(timer);
        this.wakers.delete(check);
        if (err) reject(err);
        else resolve();
      };
      const check = () => {
        if (cond()) done();
        else if (this.exitStatus) done(new Error(`waiting for ${what}: ${this.describe()}`));
      };
      const timer = setTimeout(() => done(new Error(`no ${what} within ${timeoutMs} ms: ${this.describe()}`)), timeoutMs);
      this.wakers.add(check);
      check();
    });
  }

  /** Writes one command line; returns the time just before the write, the start of a latency sample. */
  writeLine(line: string): bigint {
    if (this.exitStatus) throw new Error(`cannot write to ${this.describe()}`);
    const at = process.hrtime.bigint();
    this.child.stdin!.write(`${line}\n`);
    return at;
  }

  private async exitWithin(ms: number): Promise<boolean> {
    if (this.exitStatus) return true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    });
    const ok = await Promise.race([this.exited.then(() => true), timeout]);
    clearTimeout(timer);
    return ok;
  }

  /**
   * Graceful first (`quit`, then end of input), so EAL cleans up as a user
   * would see it; SIGTERM if that hangs (stock simple_mp at end of input
   * leaves its lcore loop spinning forever), SIGKILL as the last resort.
   */
  async stop(): Promise<void> {
    if (this.exitStatus) return;
    this.child.stdin!.write('quit\n');
    this.child.stdin!.end();
    if (await this.exitWithin(5000)) return;
    this.child.kill('SIGTERM');
    if (await this.exitWithin(3000)) return;
    this.child.kill('SIGKILL');
    await this.exitWithin(5000);
  }
}
