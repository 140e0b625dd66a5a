/**
 * The client_server_mp runs clientServer.ts measures in: the two programs,
 * started with the same EAL and app options, and Run, one run in a fresh file
 * prefix whose server, clients and monitor shell are started and stopped in
 * order, their exit reports checked, and the prefix's files removed however
 * it ends.
 */
import { onHardExit } from '../harness/children.js';
import { MonitorShell, TimedProcess, StockScreens, parseMpshClientReport, parseMpshServerReport } from './clientServerProcs.js';
import { benchPrefix, removePrefixFiles } from '../harness/prefix.js';
import { cpuTicks } from './procstat.js';
import { mpshArgv, ROOT } from '../harness/repo.js';
import type { Argv } from '../harness/watchedProcess.js';
import { DEFAULT_RING_SIZE } from '../src/core/roles/clientServer/ringSize.js';

const READY_TIMEOUT_MS = 60_000;
const EXIT_TIMEOUT_MS = 10_000;

/** Every process of one prefix has lcore ids of its own. The server's second lcore (on CPU 0) is stock's display thread; mpsh runs its loop there. */
export const SERVER_LCORES = '10@0,12@0';
export const clientLcores = (id: number) => `${11 + 2 * id}@1`;
export const SERVER_EAL = ['--proc-type=primary', '--no-pci', '--vdev=net_null0', '--vdev=net_null1'];
export const CLIENT_EAL = ['--proc-type=secondary', '--no-pci'];
export const PORT_MASK = '3';
/** A client's TX buffers: MBQ_CAPACITY 32 on each of the 2 ports. */
const TX_BUFFERED = 2 * 32;

type Name = 'mpsh' | 'stock';

export interface Program {
  name: Name;
  /** Packets a client ring holds (a ring of N holds N - 1): what a client may leave in it at the end. */
  ringCapacity: number;
  server(eal: string[], app: string[]): Argv;
  client(eal: string[], app: string[]): Argv;
}

export const mpshProgram: Program = {
  name: 'mpsh',
  ringCapacity: DEFAULT_RING_SIZE - 1,
  server: (eal, app) => mpshArgv(['server', ...eal, '--', ...app]),
  client: (eal, app) => mpshArgv(['client', ...eal, '--', ...app]),
};

export function stockProgram(server: string, client: string): Program {
  return {
    name: 'stock',
    // CLIENT_QUEUE_RINGSIZE 128 in stock's mp_server.
    ringCapacity: 127,
    // stdbuf -oL: the stats screen is stdio, fully buffered on a pipe; stdbuf execs, so the pid is mp_server's.
    server: (eal, app) => ({ command: 'stdbuf', args: ['-oL', server, ...eal, '--', ...app] }),
    client: (eal, app) => ({ command: client, args: [...eal, '--', ...app] }),
  };
}

/**
 * Set on SIGINT/SIGTERM while the module runs. The driver's handler stops the
 * children, which fails the waits on them; a signal that lands while a run is
 * already stopping them in order would otherwise let the next run start.
 */
let interrupted = false;
const onSignal = () => {
  interrupted = true;
};
export function checkInterrupted(): void {
  if (interrupted) throw new Error('interrupted');
}

/** Notes SIGINT/SIGTERM until the returned function is called: alongside the driver's own handlers (which stop the children), never instead of them. */
export function watchInterrupts(): () => void {
  interrupted = false;
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}

const describeExit = (s: { code: number | null; signal: NodeJS.Signals | null }) => s.signal ?? `code ${s.code}`;

/**
 * One run in a fresh prefix: server, clients, monitor shell, then body();
 * everything started is stopped and the prefix's files removed however it ends.
 */
export class Run {
  readonly prefix: string;
  readonly procs: TimedProcess[] = [];
  server!: TimedProcess;
  readonly clients: TimedProcess[] = [];
  shell!: MonitorShell;
  screens: StockScreens | null = null;
  readonly anomalies: string[] = [];

  constructor(
    readonly program: Program,
    readonly what: string,
    readonly numClients: number,
  ) {
    this.prefix = benchPrefix(`cs-${program.name}-${what}`);
  }

  private start(label: string, argv: Argv, stdin: 'pipe' | 'ignore' = 'ignore'): TimedProcess {
    const p = new TimedProcess(`${this.program.name} ${label}`, argv, ROOT, stdin);
    this.procs.push(p);
    return p;
  }

  async startAll(): Promise<void> {
    const prefixEal = ['--file-prefix', this.prefix];
    this.server = this.start(
      'server',
      this.program.server([`--lcores=${SERVER_LCORES}`, ...prefixEal, ...SERVER_EAL], ['-p', PORT_MASK, '-n', String(this.numClients)]),
    );
    if (this.program.name === 'stock') this.screens = new StockScreens(this.numClients, this.server);
    await this.server.waitReady(READY_TIMEOUT_MS);
    for (let id = 0; id < this.numClients; id++) await this.startClient(id);
    // The shell picks lcore ids of its own (32 up) and floats over all CPUs; it only answers `stats --json`.
    const shell = this.start('monitor shell', mpshArgv([...prefixEal, '--proc-type=secondary', '--', '--line']), 'pipe');
    this.shell = new MonitorShell(shell);
    await shell.waitPrompt(READY_TIMEOUT_MS);
  }

  /** Starts client `id` (again, after a kill: same arguments, same lcore id) and waits until it is ready. */
  async startClient(id: number): Promise<TimedProcess> {
    const prefixEal = ['--file-prefix', this.prefix];
    const c = this.start(`client ${id}`, this.program.client([`--lcores=${clientLcores(id)}`, ...prefixEal, ...CLIENT_EAL], ['-n', String(id)]));
    this.clients[id] = c;
    await c.waitReady(READY_TIMEOUT_MS);
    return c;
  }

  /** The orderly end: shell, clients (mpsh: SIGINT and its report; stock: SIGKILL, it crashes on SIGINT), then the server. */
  async stopAll(): Promise<void> {
    await this.shell.stop();
    for (const [id, c] of this.clients.entries()) {
      if (c.exitStatus) continue;
      if (this.program.name === 'stock') {
        await c.stop('SIGKILL', 0);
        continue;
      }
      const { status, forced } = await c.stop('SIGINT', EXIT_TIMEOUT_MS);
      if (forced) this.anomalies.push(`client ${id} did not exit within ${EXIT_TIMEOUT_MS / 1000} s of SIGINT (killed)`);
      else if (status.code !== 0) this.anomalies.push(`client ${id} exit ${describeExit(status)} after SIGINT`);
      else if (!parseMpshClientReport(c.output('out'))) this.anomalies.push(`client ${id} printed no 'Client/Port' report after SIGINT`);
    }
    const { status, forced } = await this.server.stop('SIGINT', EXIT_TIMEOUT_MS);
    if (forced) this.anomalies.push(`server did not exit within ${EXIT_TIMEOUT_MS / 1000} s of SIGINT (killed)`);
    else if (status.code !== 0) this.anomalies.push(`server exit ${describeExit(status)} after SIGINT`);
    else if (this.program.name === 'mpsh') this.checkMpshReports();
  }

  /**
   * mpsh's exit reports against each other: what the server handed a client
   * is what the client took from its ring plus at most a ring's worth left in
   * it (the server outlives the clients), and what a client took it sent or
   * counted as a TX drop, less at most what its TX buffers hold.
   */
  private checkMpshReports(): void {
    const server = parseMpshServerReport(this.server.output('out'));
    if (!server) {
      this.anomalies.push("server printed no 'Port/Client' report after SIGINT");
      return;
    }
    for (const [id, c] of this.clients.entries()) {
      const own = parseMpshClientReport(c.output('out'));
      if (!own) continue; // the killed client, or one already reported missing
      const handed = server.clients[id]?.rx;
      if (handed === undefined) this.anomalies.push(`server report has no line for client ${id}`);
      else if (handed < own.rx || handed - own.rx > this.program.ringCapacity)
        this.anomalies.push(`client ${id}: server handed it ${handed}, it took ${own.rx} from its ring (ring holds ${this.program.ringCapacity})`);
      const out = own.tx + own.txDrop;
      if (out > own.rx || own.rx - out > TX_BUFFERED) this.anomalies.push(`client ${id}: took ${own.rx}, sent ${own.tx} + dropped ${own.txDrop}`);
    }
  }

  /** Last resort (errors, signals): SIGTERM to each process still there, newest first, then SIGKILL. */
  async killAll(): Promise<void> {
    for (const p of [...this.procs].reverse()) await p.stop('SIGTERM', 3_000);
  }

  async execute<T>(body: (run: Run) => Promise<T>): Promise<T> {
    removePrefixFiles(this.prefix);
    const unhook = onHardExit(() => removePrefixFiles(this.prefix));
    try {
      await this.startAll();
      checkInterrupted();
      const result = await body(this);
      checkInterrupted();
      await this.stopAll();
      checkInterrupted();
      return result;
    } finally {
      await this.killAll();
      removePrefixFiles(this.prefix);
      unhook();
    }
  }

  /** The processes that must stay up through a window. */
  running(): TimedProcess[] {
    return this.procs.filter((p) => !p.exitStatus);
  }

  shellCpuTicks(): number {
    return cpuTicks(this.shell.proc.pid);
  }
}
