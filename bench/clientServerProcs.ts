/**
 * Processes of a client_server_mp run and the two ways their counters are
 * read while they run:
 *   - TimedProcess: one child (server, client or shell) whose output arrives line by
 *     line, each line timestamped when its chunk arrives;
 *   - MonitorShell: an mpsh shell attached to the prefix as a secondary,
 *     asked `stats --json`; it reads port_info (port RX as the stock server
 *     fills it, per-client TX as every client fills it) and, under an mpsh
 *     server, mpsh's own per-client rx/rx_drop;
 *   - StockScreens: the stats screen stock mp_server prints every second
 *     (the only place its per-client rx_drop is seen).
 *
 * Spawning, output tails, waits and stopping are WatchedProcess's: it tracks
 * every child (children.ts), so the driver's SIGINT/SIGTERM handler signals
 * it, and the exit hook SIGKILLs whatever is left.
 */
import { WatchedProcess, type Argv, type Stream } from '../harness/watchedProcess.js';

import { READY_LINE as READY } from '../src/core/roles/roleRunner.js';
export const PROMPT = 'simple_mp > ';
const TAIL_CHARS = 4096;

type LineListener = (line: string, at: bigint, stream: Stream) => void;

export class TimedProcess extends WatchedProcess {
  /** When `Finished Process Init` first arrived (stock logs it on stderr, mpsh prints it on stdout). */
  readyAt: bigint | null = null;
  /** When the first `simple_mp > ` prompt arrived (shells only). */
  promptAt: bigint | null = null;
  private partial: Record<Stream, string> = { out: '', err: '' };
  private listeners = new Set<LineListener>();

  constructor(label: string, argv: Argv, cwd: string, stdin: 'pipe' | 'ignore' = 'ignore') {
    super(label, argv, { cwd, stdin, tailChars: TAIL_CHARS, describeChars: 1500 });
  }

  protected override onOutput(stream: Stream, chunk: string, at: bigint): void {
    const text = this.partial[stream] + chunk;
    const lines = text.split('\n');
    this.partial[stream] = lines.pop()!;
    // A prompt has no newline: look for it in what is still pending too.
    if (this.partial[stream].length > 4 * TAIL_CHARS) this.partial[stream] = this.partial[stream].slice(-TAIL_CHARS);
    for (const line of lines) {
      if (this.readyAt === null && line.includes(READY)) this.readyAt = at;
      if (this.promptAt === null && stream === 'out' && line.includes(PROMPT)) this.promptAt = at;
      for (const l of [...this.listeners]) l(line, at, stream);
    }
    if (this.promptAt === null && stream === 'out' && this.partial.out.includes(PROMPT)) this.promptAt = at;
  }

  /** Calls listener for every whole line from now on; returns its removal. */
  onLine(listener: LineListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  waitReady(timeoutMs: number): Promise<void> {
    return this.waitUntil(() => this.readyAt !== null, timeoutMs, `'${READY}'`);
  }

  waitPrompt(timeoutMs: number): Promise<void> {
    return this.waitUntil(() => this.promptAt !== null, timeoutMs, `its first prompt '${PROMPT}'`);
  }
}

/** One client's counters at one moment; rxDrop is null where nobody counts it (stock server, read through port_info). */
export interface ClientCounters {
  tx: number;
  rxDrop: number | null;
  /** mpsh server only: the client is judged dead and skipped by the distribution. */
  skipped?: boolean;
}

/** A group's counters at one moment. */
export interface Counters {
  /** process.hrtime.bigint() of the reading. */
  t: bigint;
  /** Server RX summed over ports. */
  portRx: number;
  /** By client id. */
  clients: ClientCounters[];
}

interface StatsJson {
  processes: {
    role: string;
    client?: number;
    tx?: number;
    rx_drop?: number | null;
    skipped?: boolean;
    ports?: { port: number; rx?: number }[];
  }[];
}

/** An mpsh shell in line mode on the prefix (a secondary that only monitors there). */
export class MonitorShell {
  constructor(readonly proc: TimedProcess) {}

  /** One `stats --json`, timed at the midpoint between the write and the reply's arrival. */
  async sample(timeoutMs = 5_000): Promise<Counters> {
    let reply: { line: string; at: bigint } | null = null;
    const off = this.proc.onLine((line, at, stream) => {
      if (reply === null && stream === 'out' && line.includes('{"processes"')) reply = { line, at };
    });
    let sentAt: bigint;
    try {
      sentAt = this.proc.writeLine('stats --json');
      await this.proc.waitUntil(() => reply !== null, timeoutMs, "a 'stats --json' reply");
    } finally {
      off();
    }
    const got = reply as unknown as { line: string; at: bigint };
    const json = JSON.parse(got.line.slice(got.line.indexOf('{'))) as StatsJson;
    const server = json.processes.find((p) => p.role === 'server');
    if (!server?.ports) throw new Error(`'stats --json' shows no server ports: ${got.line}`);
    const clients: ClientCounters[] = [];
    for (const p of json.processes) {
      if (p.role !== 'client' || p.client === undefined) continue;
      clients[p.client] = { tx: p.tx ?? 0, rxDrop: typeof p.rx_drop === 'number' ? p.rx_drop : null, skipped: p.skipped };
    }
    return { t: (sentAt + got.at) / 2n, portRx: server.ports.reduce((s, p) => s + (p.rx ?? 0), 0), clients };
  }

  /** `quit`, then end of input; SIGTERM, then SIGKILL, if it lingers. */
  stop(): Promise<void> {
    return this.proc.endInput('quit', 5_000);
  }
}

/**
 * The screens stock mp_server prints every second (its display lcore):
 *   Port 0 - rx:  <n>\ttx:  <n>
 *   Client  0 - rx: <n>, rx_drop: <n>
 *               tx: <n>, tx_drop: <n>
 * A screen is complete, and timestamped, at its last client's tx line.
 */
export class StockScreens {
  readonly screens: Counters[] = [];
  private ports = new Map<number, number>();
  private clients: ClientCounters[] = [];
  private pendingDrop: number | null = null;

  constructor(
    private readonly numClients: number,
    proc: TimedProcess,
  ) {
    proc.onLine((line, at, stream) => {
      if (stream === 'out') this.feed(line, at);
    });
  }

  private feed(line: string, at: bigint): void {
    if (line.includes('PORTS')) {
      this.ports = new Map();
      this.clients = [];
      this.pendingDrop = null;
      return;
    }
    let m = /Port (\d+) - rx:\s*(\d+)\s+tx:\s*(\d+)/.exec(line);
    if (m) {
      this.ports.set(Number(m[1]), Number(m[2]));
      return;
    }
    m = /Client\s+(\d+) - rx:\s*(\d+), rx_drop:\s*(\d+)/.exec(line);
    if (m) {
      this.pendingDrop = Number(m[3]);
      return;
    }
    m = /^\s+tx:\s*(\d+), tx_drop:\s*(\d+)/.exec(line);
    if (m && this.pendingDrop !== null) {
      this.clients.push({ tx: Number(m[1]), rxDrop: this.pendingDrop });
      this.pendingDrop = null;
      if (this.clients.length === this.numClients && this.ports.size > 0) {
        this.screens.push({ t: at, portRx: [...this.ports.values()].reduce((s, v) => s + v, 0), clients: this.clients });
        this.clients = [];
      }
    }
  }

  /** The first screen completed after the `count`-th one (waits for it; rejects if the server exits). */
  async after(proc: TimedProcess, count: number, timeoutMs = 5_000): Promise<Counters> {
    await proc.waitUntil(() => this.screens.length > count, timeoutMs, `stats screen ${count + 1}`);
    return this.screens[count];
  }
}

/** `Port <p>: rx <n>` and `Client <i>: rx <n>, rx_drop <n>`: what `mpsh server` prints after SIGINT/SIGTERM. */
export function parseMpshServerReport(out: string): { portRx: number[]; clients: { rx: number; rxDrop: number }[] } | null {
  const portRx = [...out.matchAll(/^Port (\d+): rx (\d+)\s*$/gm)].map((m) => Number(m[2]));
  const clients = [...out.matchAll(/^Client (\d+): rx (\d+), rx_drop (\d+)\s*$/gm)].map((m) => ({ rx: Number(m[2]), rxDrop: Number(m[3]) }));
  return portRx.length > 0 ? { portRx, clients } : null;
}

/** `Client <id>: rx <n>` and `Port <p>: tx <n>, tx_drop <n>`: what `mpsh client` prints after SIGINT/SIGTERM. */
export function parseMpshClientReport(out: string): { rx: number; tx: number; txDrop: number } | null {
  const rx = /^Client \d+: rx (\d+)\s*$/m.exec(out);
  const ports = [...out.matchAll(/^Port \d+: tx (\d+), tx_drop (\d+)\s*$/gm)];
  if (!rx || ports.length === 0) return null;
  return { rx: Number(rx[1]), tx: ports.reduce((s, m) => s + Number(m[1]), 0), txDrop: ports.reduce((s, m) => s + Number(m[2]), 0) };
}
