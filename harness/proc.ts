/**
 * Real processes for integration tests, over the harness's WatchedProcess:
 * spawn from an argument vector, read stdout as it arrives, wait for
 * patterns past the previous match, stop by pid. Every process started here
 * is stopped by stopAll() (called from a root afterEach hook).
 */
import type { ChildProcess } from 'node:child_process';
import { WatchedProcess, type ExitStatus } from './watchedProcess.js';
import { MPSH_BIN, mpshArgv, ROOT } from './repo.js';
import { pidAlive } from '../src/core/os/pids.js';
import { literal } from '../src/core/util/text.js';

export { removePrefixFiles, uniquePrefix } from './prefix.js';
export { sleep } from './watchedProcess.js';

export const repoRoot = ROOT;
export const mpshBin = MPSH_BIN;
export type Exit = ExitStatus;

const live = new Set<Proc>();

export class Proc {
  private readonly w: WatchedProcess;
  /** Where the next waitFor on stdout starts: just past the previous match. */
  private cursor = 0;

  constructor(
    readonly name: string,
    cmd: string,
    args: string[],
    opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
  ) {
    this.w = new WatchedProcess(name, { command: cmd, args }, { cwd: opts.cwd ?? ROOT, env: opts.env, stdin: 'pipe' });
    live.add(this);
    void this.w.exited.then(() => live.delete(this));
  }

  get child(): ChildProcess {
    return this.w.child;
  }
  get pid(): number {
    return this.w.pid;
  }
  get out(): string {
    return this.w.output('out');
  }
  get err(): string {
    return this.w.output('err');
  }
  get exit(): Exit | null {
    return this.w.exitStatus;
  }
  get exited(): Promise<Exit> {
    return this.w.exited;
  }

  /** One line on stdin; ignored once the process is gone. */
  write(line: string): void {
    this.w.child.stdin!.write(`${line}\n`);
  }

  endInput(): void {
    this.w.child.stdin!.end();
  }

  /** Waits for `re` in stdout after the previous match (or anywhere in stderr); returns the match. */
  async waitFor(re: RegExp, timeoutMs = 10_000, stream: 'out' | 'err' = 'out'): Promise<RegExpExecArray> {
    let m: RegExpExecArray | null = null;
    const find = () => (m = re.exec(stream === 'out' ? this.out.slice(this.cursor) : this.err)) !== null;
    await this.w.waitUntil(find, timeoutMs, `${re} from ${this.name}`);
    const found = m as unknown as RegExpExecArray;
    if (stream === 'out') this.cursor += found.index + found[0].length;
    return found;
  }

  /** Runs a command and returns the output up to the next prompt. */
  async command(line: string, timeoutMs = 10_000, prompt = 'simple_mp > '): Promise<string> {
    this.write(line);
    const m = await this.waitFor(new RegExp(`([\\s\\S]*?)\\n${literal(prompt).source}`), timeoutMs);
    return m[1]!.replace(/\n$/, '');
  }

  async waitExit(timeoutMs = 10_000): Promise<Exit> {
    if (!(await this.w.exitsWithin(timeoutMs))) throw new Error(`${this.name} did not exit within ${timeoutMs} ms; stderr:\n${this.err}`);
    return this.w.exitStatus!;
  }

  signal(sig: NodeJS.Signals): void {
    this.w.signal(sig);
  }

  /** Graceful stop: SIGTERM, then SIGKILL. */
  async stop(timeoutMs = 5000): Promise<Exit> {
    return (await this.w.stop('SIGTERM', timeoutMs)).status;
  }
}

export function mpsh(name: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Proc {
  const argv = mpshArgv(args);
  return new Proc(name, argv.command, argv.args, opts);
}

/** An mpsh shell (line mode when stdin is a pipe), once its first `simple_mp > ` prompt is out. */
export async function mpshShell(name: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<Proc> {
  const p = mpsh(name, args, opts);
  await p.waitFor(/simple_mp > /, 20_000);
  return p;
}

/** Adopts every `(pid N)` a shell printed: the workers it spawned, for stopAll() to stop. */
export const adoptPidsIn = (out: string) => [...out.matchAll(/\(pid (\d+)\)/g)].forEach((m) => adopt(Number(m[1])));

/** A stock sample, line-buffered so its printf output arrives as printed. */
export function stock(name: string, bin: string, args: string[], opts: { cwd?: string } = {}): Proc {
  return new Proc(name, 'stdbuf', ['-oL', '-eL', bin, ...args], opts);
}

/** Pids of processes the test did not spawn itself but must stop (a shell's detached children). */
const strays = new Set<number>();
export function adopt(pid: number): void {
  strays.add(pid);
}

export async function stopAll(): Promise<void> {
  await Promise.all([...live].map((p) => p.stop()));
  for (const pid of strays) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      strays.delete(pid);
    }
  }
  const deadline = Date.now() + 5000;
  while ([...strays].some(pidAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  for (const pid of strays) if (pidAlive(pid)) process.kill(pid, 'SIGKILL');
  strays.clear();
}
