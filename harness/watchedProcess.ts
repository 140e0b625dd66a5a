/**
 * One process a test or benchmark starts, watched through its pipes: spawned from an
 * argv, the last stretch of its stdout and stderr kept (for error messages
 * that say what it was doing, and for the reports it prints on exit), every
 * chunk timestamped the moment it arrives and handed to onOutput(), where a
 * subclass matches its prompts, ready lines or counters.
 *
 * Every process started here is tracked (children.ts) until it exits: the
 * driver's SIGINT/SIGTERM handler signals it, and the exit hook SIGKILLs
 * whatever is left, so none outlives the bench.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { track } from './children.js';

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export type Stream = 'out' | 'err';

/** A program and its arguments, as spawn() takes them. */
export interface Argv {
  command: string;
  args: string[];
}

export interface WatchOptions {
  cwd: string;
  /** Added to this process's environment. */
  env?: NodeJS.ProcessEnv;
  /** 'pipe' for a process driven by lines on stdin (writeLine, endInput). */
  stdin?: 'pipe' | 'ignore';
  /** How much of each stream is kept: what output() returns; everything if not given. */
  tailChars?: number;
  /** How much of each kept tail describe() shows; all of it if not given. */
  describeChars?: number;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Whether `exited` settles within ms; the timer is cleared either way. */
export async function exitsWithin(exited: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const ok = await Promise.race([exited.then(() => true), timeout]);
  clearTimeout(timer);
  return ok;
}

export class WatchedProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Taken just before spawn(), which returns once exec has succeeded: start-up cost is counted from here. */
  readonly spawnedAt: bigint;
  exitStatus: ExitStatus | null = null;
  readonly exited: Promise<ExitStatus>;
  private readonly tails: Record<Stream, string> = { out: '', err: '' };
  private readonly tailChars: number;
  private readonly describeChars: number;
  private readonly wakers = new Set<() => void>();

  constructor(
    readonly label: string,
    argv: Argv,
    options: WatchOptions,
  ) {
    this.tailChars = options.tailChars ?? Infinity;
    this.describeChars = options.describeChars ?? this.tailChars;
    this.spawnedAt = process.hrtime.bigint();
    const env = options.env && { ...process.env, ...options.env };
    this.child = spawn(argv.command, argv.args, { cwd: options.cwd, env, stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe'] });
    if (this.child.pid === undefined) throw new Error(`${label}: could not start ${argv.command}`);
    this.pid = this.child.pid;
    track(this.child);
    // A process that already exited closes its stdin: a late write must not crash the bench (EPIPE).
    this.child.stdin?.on('error', () => {});
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => this.onChunk('out', chunk));
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => this.onChunk('err', chunk));
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        this.exitStatus = { code, signal };
        this.wake();
        resolve(this.exitStatus);
      });
    });
  }

  private onChunk(stream: Stream, chunk: string): void {
    const at = process.hrtime.bigint();
    this.tails[stream] = (this.tails[stream] + chunk).slice(-this.tailChars);
    this.onOutput(stream, chunk, at);
    this.wake();
  }

  /**
   * Every chunk of output, in order, with process.hrtime.bigint() of its
   * arrival; output() already includes it. The waits are rechecked after it.
   */
  protected onOutput(_stream: Stream, _chunk: string, _at: bigint): void {}

  private wake(): void {
    for (const w of [...this.wakers]) w();
  }

  /** Everything printed since start, up to the last tailChars of the stream. */
  output(stream: Stream): string {
    return this.tails[stream];
  }

  /** Recent output, for error messages that say what the process was doing. */
  describe(): string {
    const status = this.exitStatus ? ` (exited: ${this.exitStatus.signal ?? `code ${this.exitStatus.code}`})` : '';
    const tail = (stream: Stream) => this.tails[stream].slice(-this.describeChars);
    return `${this.label} pid ${this.pid}${status}\n--- stdout tail ---\n${tail('out')}\n--- stderr tail ---\n${tail('err')}`;
  }

  /** Resolves once cond() holds; rejects if the time runs out, or if the process exits first and cond() still fails. */
  waitUntil(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
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

  /** Writes one line to stdin; returns the time just before the write (the start of a latency sample). */
  writeLine(line: string): bigint {
    if (this.exitStatus || !this.child.stdin) throw new Error(`cannot write to ${this.describe()}`);
    const at = process.hrtime.bigint();
    this.child.stdin.write(`${line}\n`);
    return at;
  }

  /** Sends signal unless the process is already gone. */
  signal(signal: NodeJS.Signals): void {
    if (!this.exitStatus) this.child.kill(signal);
  }

  /** Whether the process exits within ms (true at once if it already has). */
  async exitsWithin(ms: number): Promise<boolean> {
    return this.exitStatus !== null || exitsWithin(this.exited, ms);
  }

  /** Sends signal unless already gone; SIGKILL if it is still there after graceMs. Resolves once it is gone. */
  async stop(signal: NodeJS.Signals, graceMs: number): Promise<{ status: ExitStatus; forced: boolean }> {
    if (this.exitStatus) return { status: this.exitStatus, forced: false };
    this.child.kill(signal);
    if (signal !== 'SIGKILL' && !(await this.exitsWithin(graceMs))) {
      this.child.kill('SIGKILL');
      return { status: await this.exited, forced: true };
    }
    return { status: await this.exited, forced: false };
  }

  /**
   * The way a user ends a line-driven program: `lastLine` (its quit
   * command), then end of input; if it is still there after graceMs,
   * SIGTERM, and SIGKILL 3 s later. Resolves once it is gone.
   */
  async endInput(lastLine: string, graceMs: number): Promise<void> {
    if (this.exitStatus) return;
    try {
      this.writeLine(lastLine);
      this.child.stdin?.end();
    } catch {
      // Already going: the waits below settle it.
    }
    if (await this.exitsWithin(graceMs)) return;
    await this.stop('SIGTERM', 3_000);
  }
}

/**
 * Resolves after ms; rejects as soon as one of procs exits, since a window
 * without it would not be what it claims to measure.
 */
export function measureWindow(ms: number, procs: WatchedProcess[]): Promise<void> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      resolve();
    }, ms);
    for (const p of procs) {
      void p.exited.then(() => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(new Error(`exited during a measurement window: ${p.describe()}`));
      });
    }
  });
}
