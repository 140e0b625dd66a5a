/**
 * One symmetric_mp worker (mpsh or stock) run as the samples are run by hand:
 * started with its EAL and app options, ready once it prints
 * `APP: Finished Process Init.` (stock logs it on stderr, mpsh on stdout),
 * stopped with SIGINT, after which both print a `Port <p>: RX - <n>, TX - <n>,
 * Drop - <n>` line per port and exit 0.
 *
 * The forwarding rate of a run is the RX summed over ports divided by the
 * time from the ready line's arrival to the SIGINT. Spawning, output tails,
 * waits and stopping are WatchedProcess's (which tracks it in children.ts).
 */
import { WatchedProcess, type Argv, type ExitStatus, type Stream } from '../harness/watchedProcess.js';
import { READY_LINE as READY } from '../src/core/roles/roleRunner.js';

const PORT_LINE = /^Port (\d+): RX - (\d+), TX - (\d+), Drop - (\d+)\s*$/gm;
const TAIL_CHARS = 8192;

export interface PortCounters {
  port: number;
  rx: number;
  tx: number;
  drop: number;
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

export class Forwarder extends WatchedProcess {
  readyAt: bigint | null = null;

  constructor(label: string, argv: Argv, cwd: string) {
    super(label, argv, { cwd, tailChars: TAIL_CHARS });
  }

  protected override onOutput(_stream: Stream, _chunk: string, at: bigint): void {
    // Timestamped when the chunk arrives; both programs start forwarding right after printing it.
    if (this.readyAt === null && (this.output('out').includes(READY) || this.output('err').includes(READY))) this.readyAt = at;
  }

  waitReady(timeoutMs: number): Promise<void> {
    return this.waitUntil(() => this.readyAt !== null, timeoutMs, `'${READY}'`);
  }

  /** SIGINT, then the exit report; SIGKILL (and an error) if it does not exit within timeoutMs. */
  async interrupt(timeoutMs: number): Promise<ForwardRun> {
    if (this.readyAt === null) throw new Error(`interrupt before ready: ${this.describe()}`);
    if (this.exitStatus) throw new Error(`exited before the end of the measurement: ${this.describe()}`);
    const signalAt = process.hrtime.bigint();
    this.signal('SIGINT');
    try {
      await this.waitUntil(() => this.exitStatus !== null, timeoutMs, 'exit after SIGINT');
    } catch (err) {
      await this.stop('SIGTERM', 3_000);
      throw err;
    }
    const ports = [...this.output('out').matchAll(PORT_LINE)].map((m) => ({ port: Number(m[1]), rx: Number(m[2]), tx: Number(m[3]), drop: Number(m[4]) }));
    if (ports.length === 0) throw new Error(`no 'Port <p>: RX - ...' lines after SIGINT: ${this.describe()}`);
    const seconds = Number(signalAt - this.readyAt) / 1e9;
    const rx = ports.reduce((sum, p) => sum + p.rx, 0);
    return { ports, seconds, rx, mpps: rx / seconds / 1e6, exit: this.exitStatus! };
  }
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
