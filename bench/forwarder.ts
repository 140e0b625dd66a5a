/**
 * One symmetric_mp worker (mpsh or stock) run as the samples are run by hand:
 * started with its EAL and app options, ready once it prints
 * `APP: Finished Process Init.` (stock logs it on stderr, mpsh on stdout),
 * stopped with SIGINT, after which both print a `Port <p>: RX - <n>, TX - <n>,
 * Drop - <n>` line per port and exit 0.
 *
 * The forwarding rate of a run is the RX summed over ports divided by the
 * time from the ready line's arrival to the SIGINT.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { track } from './children.js';

const READY = 'APP: Finished Process Init.';
const PORT_LINE = /^Port (\d+): RX - (\d+), TX - (\d+), Drop - (\d+)\s*$/gm;
const TAIL_CHARS = 8192;

export interface PortCounters {
  port: number;
  rx: number;
  tx: number;
  drop: number;
}

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ForwardRun {
  ports: PortCounters[];
  /** Seconds from the ready line to the SIGINT. */
  seconds: number;
  /** RX summed over ports. */
  rx: number;
  /** rx / seconds, in millions of packets per second. */
  mpps: number;
  exit: ExitStatus;
}

export class Forwarder {
  readonly child: ChildProcess;
  readonly pid: number;
  readyAt: bigint | null = null;
  exitStatus: ExitStatus | null = null;
  readonly exited: Promise<ExitStatus>;
  private out = '';
  private err = '';
  private wakers = new Set<() => void>();

  constructor(
    readonly label: string,
    command: string,
    args: string[],
    cwd: string,
  ) {
    this.child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    if (this.child.pid === undefined) throw new Error(`${label}: could not start ${command}`);
    this.pid = this.child.pid;
    track(this.child);
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      this.out = (this.out + chunk).slice(-TAIL_CHARS);
      this.onOutput();
    });
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      this.err = (this.err + chunk).slice(-TAIL_CHARS);
      this.onOutput();
    });
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        this.exitStatus = { code, signal };
        this.wake();
        resolve(this.exitStatus);
      });
    });
  }

  private onOutput(): void {
    // Timestamped when the chunk arrives; both programs start forwarding right after printing it.
    if (this.readyAt === null && (this.out.includes(READY) || this.err.includes(READY))) this.readyAt = process.hrtime.bigint();
    this.wake();
  }

  private wake(): void {
    for (const w of [...this.wakers]) w();
  }

  describe(): string {
    const status = this.exitStatus ? ` (exited: ${this.exitStatus.signal ?? `code ${this.exitStatus.code}`})` : '';
    return `${this.label} pid ${this.pid}${status}\n--- stdout tail ---\n${this.out}\n--- stderr tail ---\n${this.err}`;
  }

  /** Resolves once cond() holds; rejects if the time runs out, or if the process exits first and cond() still fails. */
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

  waitReady(timeoutMs: number): Promise<void> {
    return this.waitUntil(() => this.readyAt !== null, timeoutMs, `'${READY}'`);
  }

  /** SIGINT, then the exit report; SIGKILL (and an error) if it does not exit within timeoutMs. */
  async interrupt(timeoutMs: number): Promise<ForwardRun> {
    if (this.readyAt === null) throw new Error(`interrupt before ready: ${this.describe()}`);
    if (this.exitStatus) throw new Error(`exited before the end of the measurement: ${this.describe()}`);
    const signalAt = process.hrtime.bigint();
    this.child.kill('SIGINT');
    try {
      await this.waitUntil(() => this.exitStatus !== null, timeoutMs, 'exit after SIGINT');
    } catch (err) {
      await this.kill();
      throw err;
    }
    const ports = [...this.out.matchAll(PORT_LINE)].map((m) => ({ port: Number(m[1]), rx: Number(m[2]), tx: Number(m[3]), drop: Number(m[4]) }));
    if (ports.length === 0) throw new Error(`no 'Port <p>: RX - ...' lines after SIGINT: ${this.describe()}`);
    const seconds = Number(signalAt - this.readyAt) / 1e9;
    const rx = ports.reduce((sum, p) => sum + p.rx, 0);
    return { ports, seconds, rx, mpps: rx / seconds / 1e6, exit: this.exitStatus! };
  }

  /** Cleanup path: SIGTERM, then SIGKILL; resolves once the process is gone. */
  async kill(): Promise<void> {
    if (this.exitStatus) return;
    this.child.kill('SIGTERM');
    if (await exitsWithin(this.exited, 3000)) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * A measurement window: resolves after ms, rejects as soon as one of the
 * workers exits, since a window without it would not be what it claims.
 */
export function measureWindow(ms: number, workers: Forwarder[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    for (const w of workers) {
      void w.exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`exited during a measurement window: ${w.describe()}`));
      });
    }
  });
}

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

/**
 * Forwarding counter anomalies: on two paired ports every packet received on
 * one is sent or dropped on the other, nothing should drop on net_null, and
 * the process should exit 0 after SIGINT.
 */
export function counterAnomalies(run: ForwardRun, burstSlack = 0): string[] {
  const out: string[] = [];
  const byPort = new Map(run.ports.map((p) => [p.port, p]));
  const ids = run.ports.map((p) => p.port).sort((a, b) => a - b);
  for (let i = 0; i + 1 < ids.length; i += 2) {
    const a = byPort.get(ids[i])!;
    const b = byPort.get(ids[i + 1])!;
    // RX may lead by up to burstSlack (a burst counted in, not yet out, when the report was taken); never trail.
    const off = (rx: number, sent: number) => rx < sent || rx - sent > burstSlack;
    if (off(a.rx, b.tx + b.drop)) out.push(`port ${a.port} RX ${a.rx} != port ${b.port} TX ${b.tx} + drop ${b.drop}`);
    if (off(b.rx, a.tx + a.drop)) out.push(`port ${b.port} RX ${b.rx} != port ${a.port} TX ${a.tx} + drop ${a.drop}`);
  }
  const drops = run.ports.reduce((s, p) => s + p.drop, 0);
  if (drops > 0) out.push(`${drops} packets dropped`);
  if (run.exit.code !== 0) out.push(`exit ${run.exit.signal ?? `code ${run.exit.code}`} after SIGINT`);
  return out;
}
