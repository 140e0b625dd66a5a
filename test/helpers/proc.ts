/**
 * Real processes for integration tests: spawn from an argument vector, read
 * stdout as it arrives, wait for patterns, stop by pid. Every process started
 * here is stopped by stopAll() (called from a root afterEach hook).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pidAlive } from '../../src/core/pids.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const mpshBin = path.join(repoRoot, 'bin/mpsh');

const live = new Set<Proc>();

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class Proc {
  readonly child: ChildProcess;
  out = '';
  err = '';
  private cursor = 0;
  readonly exited: Promise<Exit>;
  exit: Exit | null = null;
  private waiters: (() => void)[] = [];

  constructor(
    readonly name: string,
    cmd: string,
    args: string[],
    opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
  ) {
    this.child = spawn(cmd, args, { cwd: opts.cwd ?? repoRoot, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...opts.env } });
    live.add(this);
    this.child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      this.out += d;
      this.wake();
    });
    this.child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      this.err += d;
      this.wake();
    });
    this.child.stdin!.on('error', () => {});
    this.exited = new Promise((resolve) =>
      this.child.on('exit', (code, signal) => {
        this.exit = { code, signal };
        live.delete(this);
        this.wake();
        resolve(this.exit);
      }),
    );
  }

  get pid(): number {
    return this.child.pid!;
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    w.forEach((f) => f());
  }

  write(line: string): void {
    this.child.stdin!.write(`${line}\n`);
  }

  endInput(): void {
    this.child.stdin!.end();
  }

  /** Waits for `re` in stdout after the previous match; returns the match. */
  async waitFor(re: RegExp, timeoutMs = 10_000, stream: 'out' | 'err' = 'out'): Promise<RegExpExecArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const text = stream === 'out' ? this.out.slice(this.cursor) : this.err;
      const m = re.exec(text);
      if (m) {
        if (stream === 'out') this.cursor += m.index + m[0].length;
        return m;
      }
      if (this.exit) throw new Error(`${this.name} exited (${JSON.stringify(this.exit)}) before ${re}; stdout:\n${this.out}\nstderr:\n${this.err}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${this.name}: timed out waiting for ${re}; stdout:\n${this.out}\nstderr:\n${this.err}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Runs a command and returns the output up to the next prompt. */
  async command(line: string, timeoutMs = 10_000, prompt = 'simple_mp > '): Promise<string> {
    this.write(line);
    const m = await this.waitFor(new RegExp(`([\\s\\S]*?)\\n${prompt.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`), timeoutMs);
    return m[1]!.replace(/\n$/, '');
  }

  async waitExit(timeoutMs = 10_000): Promise<Exit> {
    const t = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`${this.name} did not exit within ${timeoutMs} ms; stderr:\n${this.err}`)), timeoutMs).unref(),
    );
    return Promise.race([this.exited, t]);
  }

  signal(sig: NodeJS.Signals): void {
    if (!this.exit) this.child.kill(sig);
  }

  /** Graceful stop: SIGTERM, then SIGKILL. */
  async stop(timeoutMs = 5000): Promise<Exit> {
    if (this.exit) return this.exit;
    this.signal('SIGTERM');
    try {
      return await this.waitExit(timeoutMs);
    } catch {
      this.signal('SIGKILL');
      return this.exited;
    }
  }
}

export function mpsh(name: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Proc {
  return new Proc(name, process.execPath, [mpshBin, ...args], opts);
}

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
  while ([...strays].some(pidAlive) && Date.now() < deadline) await sleep(50);
  for (const pid of strays) if (pidAlive(pid)) process.kill(pid, 'SIGKILL');
  strays.clear();
}

let counter = 0;
/** A file prefix of this test's own. */
export function uniquePrefix(tag: string): string {
  return `mt-${tag}-${process.pid}-${counter++}`;
}

/**
 * Pids of processes of this test's own file prefix (a shell's detached
 * workers, left behind when a test fails midway). The prefix is unique to
 * the test, so these are processes the test started.
 */
function prefixPids(prefix: string): number[] {
  const pids: number[] = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const argv = fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0');
      const i = argv.indexOf('--file-prefix');
      if (argv[i + 1] === prefix || argv.includes(`--file-prefix=${prefix}`)) pids.push(Number(d));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** Stops whatever still runs under this prefix, then removes its runtime directory and hugepage files. */
export function removePrefixFiles(prefix: string): void {
  for (const pid of prefixPids(prefix)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  fs.rmSync(`/var/run/dpdk/${prefix}`, { recursive: true, force: true });
  for (const f of fs.existsSync('/dev/hugepages') ? fs.readdirSync('/dev/hugepages') : []) {
    if (f.startsWith(`${prefix}map_`)) fs.rmSync(path.join('/dev/hugepages', f), { force: true });
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
