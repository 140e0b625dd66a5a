/**
 * symmetric_mp: `mpsh symmetric` against the stock dpdk-symmetric_mp, both
 * started with the same EAL and app options, one run after the other:
 *   - forwarding rate on two net_null ports, one process and two (primary +
 *     secondary on the two CPUs), from the exit counters after SIGINT;
 *   - (mpsh) the rate while an mpsh shell shows the live counter panel in a
 *     real terminal (tmux), against the same worker without the shell;
 *   - CPU of a worker whose ports deliver nothing (net_ring).
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { onHardExit } from './children.js';
import { counterAnomalies, Forwarder, measureWindow, type ForwardRun } from './forwarder.js';
import { benchPrefix, removePrefixFiles } from './prefix.js';
import { cpuPercentOver, cpuTicks, clockTicksPerSecond } from './procstat.js';
import type { Benchmark, BenchResult, Metric } from './report.js';
import { buildStockSymmetricMp } from './stock.js';
import { rateMpps, Telemetry } from './telemetry.js';
import { TmuxPanel } from './tmuxPanel.js';

// This file runs as dist/bench/symmetric.js: the repository is two levels up.
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MPSH_BIN = path.join(ROOT, 'bin', 'mpsh');

const READY_TIMEOUT_MS = 60_000;
const EXIT_TIMEOUT_MS = 10_000;
/** Short on purpose: stock's 32-bit counters wrap at 2^32 (tens of seconds at net_null rates). */
const WINDOW_MS = 5_000;
const SETTLE_MS = 1_000;
/** One lcore id, the same for both programs; mpsh moves its loop onto it. */
const SINGLE_LCORE = '10@1';
const PAIR_LCORES = ['10@0', '11@1'] as const;
const NULL_PORTS = ['--vdev=net_null0', '--vdev=net_null1'];
/** net_ring with no arguments: a port whose RX ring nobody fills. */
const RING_PORTS = ['--vdev=net_ring0', '--vdev=net_ring1'];
const PORTS = [0, 1];

type Name = 'mpsh' | 'stock';

interface Program {
  name: Name;
  argv(eal: string[], app: string[]): { command: string; args: string[] };
}

interface WorkerSpec {
  lcores: string;
  role: 'primary' | 'secondary';
  vdevs: string[];
  numProcs: number;
  procId: number;
}

const mpshProgram: Program = {
  name: 'mpsh',
  argv: (eal, app) => ({ command: process.execPath, args: [MPSH_BIN, 'symmetric', ...eal, '--', ...app] }),
};

function stockProgram(binary: string): Program {
  // stdbuf -oL: stock's Port lines are stdio; line buffering keeps them if it dies instead of exiting. stdbuf execs, so the pid is the sample's.
  return { name: 'stock', argv: (eal, app) => ({ command: 'stdbuf', args: ['-oL', binary, ...eal, '--', ...app] }) };
}

/** One file prefix and the workers started in it: all stopped and the prefix files removed however the run ends. */
async function inPrefix<T>(tag: string, body: (start: (p: Program, s: WorkerSpec) => Forwarder, prefix: string) => Promise<T>): Promise<T> {
  const prefix = benchPrefix(`sym-${tag}`);
  const started: Forwarder[] = [];
  removePrefixFiles(prefix);
  const removeHook = onHardExit(() => removePrefixFiles(prefix));
  const start = (program: Program, s: WorkerSpec): Forwarder => {
    const eal = [`--lcores=${s.lcores}`, '--file-prefix', prefix, `--proc-type=${s.role}`, '--no-pci', ...s.vdevs];
    const app = ['-p', '3', '--num-procs', String(s.numProcs), '--proc-id', String(s.procId)];
    const { command, args } = program.argv(eal, app);
    const f = new Forwarder(`${program.name} ${s.role} (proc-id ${s.procId})`, command, args, ROOT);
    started.push(f);
    return f;
  };
  try {
    return await body(start, prefix);
  } finally {
    // Secondaries first: a primary should outlive the processes mapped onto its memory.
    for (const f of started.reverse()) await f.kill();
    removePrefixFiles(prefix);
    removeHook();
  }
}

const single = (vdevs: string[]): WorkerSpec => ({ lcores: SINGLE_LCORE, role: 'primary', vdevs, numProcs: 1, procId: 0 });

/** One primary alone on net_null: ready, a window, SIGINT. */
function forwardOne(program: Program): Promise<ForwardRun> {
  return inPrefix(`${program.name}-1p`, async (start) => {
    const w = start(program, single(NULL_PORTS));
    await w.waitReady(READY_TIMEOUT_MS);
    await measureWindow(WINDOW_MS, [w]);
    return w.interrupt(EXIT_TIMEOUT_MS);
  });
}

/** Primary (proc-id 0, CPU 0) and secondary (proc-id 1, CPU 1): each one's RX over its own window, summed. */
function forwardTwo(program: Program): Promise<ForwardRun[]> {
  return inPrefix(`${program.name}-2p`, async (start) => {
    const p = start(program, { lcores: PAIR_LCORES[0], role: 'primary', vdevs: NULL_PORTS, numProcs: 2, procId: 0 });
    await p.waitReady(READY_TIMEOUT_MS);
    const s = start(program, { lcores: PAIR_LCORES[1], role: 'secondary', vdevs: [], numProcs: 2, procId: 1 });
    await s.waitReady(READY_TIMEOUT_MS);
    await measureWindow(WINDOW_MS, [p, s]);
    const rs = await s.interrupt(EXIT_TIMEOUT_MS);
    const rp = await p.interrupt(EXIT_TIMEOUT_MS);
    return [rp, rs];
  });
}

interface PanelFigures {
  beforeMpps: number;
  panelMpps: number;
  afterMpps: number;
  shellCpuPct: number;
  tmuxCpuPct: number;
  /** The worker's exit RX minus net_null's own count just before SIGINT (never negative if mpsh counts right). */
  exitMinusPmd: number[];
  run: ForwardRun;
}

/** One mpsh worker, three telemetry windows: no shell, live panel in tmux, no shell again. */
function forwardWithPanel(): Promise<PanelFigures> {
  return inPrefix('mpsh-panel', async (start, prefix) => {
    const w = start(mpshProgram, single(NULL_PORTS));
    await w.waitReady(READY_TIMEOUT_MS);
    await measureWindow(SETTLE_MS, [w]);
    const tel = await Telemetry.open(prefix);
    try {
      const window = async (): Promise<number> => {
        const a = await tel.sample(PORTS);
        await measureWindow(WINDOW_MS, [w]);
        return rateMpps(a, await tel.sample(PORTS));
      };
      const beforeMpps = await window();
      const panel = TmuxPanel.start(`mpsh-bench-${process.pid}`, ROOT, [process.execPath, MPSH_BIN, '--proc-type=secondary', '--file-prefix', prefix]);
      let panelMpps: number;
      let cpu: [number, number];
      try {
        await panel.waitForScreen([/sym0/, /running/, /RX\/s/], READY_TIMEOUT_MS);
        await panel.waitForRefresh(5_000);
        await measureWindow(SETTLE_MS, [w]);
        const t0 = process.hrtime.bigint();
        const ticks0 = [cpuTicks(panel.pid), cpuTicks(panel.serverPid)];
        panelMpps = await window();
        const ticks1 = [cpuTicks(panel.pid), cpuTicks(panel.serverPid)];
        const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
        cpu = [0, 1].map((i) => ((ticks1[i] - ticks0[i]) / clockTicksPerSecond() / seconds) * 100) as [number, number];
        panel.assertAlive();
        if (!/sym0/.test(panel.capture())) throw new Error(`the panel is gone from the screen:\n${panel.capture()}`);
      } finally {
        await panel.stop();
      }
      await measureWindow(SETTLE_MS, [w]);
      const afterMpps = await window();
      const last = await tel.sample(PORTS);
      const run = await w.interrupt(EXIT_TIMEOUT_MS);
      const exitMinusPmd = PORTS.map((p) => (run.ports.find((c) => c.port === p)?.rx ?? Number.NaN) - last.get(p)!.rx);
      return { beforeMpps, panelMpps, afterMpps, shellCpuPct: cpu[0], tmuxCpuPct: cpu[1], exitMinusPmd, run };
    } finally {
      await tel.close();
    }
  });
}

/** CPU of a primary whose ports never receive, over a window after it settles. */
function idleCpu(program: Program): Promise<{ pct: number; run: ForwardRun }> {
  return inPrefix(`${program.name}-idle`, async (start) => {
    const w = start(program, single(RING_PORTS));
    await w.waitReady(READY_TIMEOUT_MS);
    await measureWindow(SETTLE_MS, [w]);
    const [pct] = await Promise.all([cpuPercentOver([w.pid], WINDOW_MS).then((r) => r[0]), measureWindow(WINDOW_MS, [w])]);
    return { pct, run: await w.interrupt(EXIT_TIMEOUT_MS) };
  });
}

interface Figures {
  one: ForwardRun;
  two: ForwardRun[];
  idle: { pct: number; run: ForwardRun };
}

const log = (msg: string) => process.stderr.write(`bench symmetric_mp: ${msg}\n`);

function toResult(mpsh: Figures, stock: Figures, panel: PanelFigures | Error, loadAvg: number): BenchResult {
  const both = (key: string, label: string, pick: (f: Figures) => number, decimals: number): Metric => ({ key, label, mpsh: pick(mpsh), stock: pick(stock), decimals });
  const only = (key: string, label: string, v: number, decimals: number): Metric => ({ key, label, mpsh: v, stock: Number.NaN, decimals });
  const sum2 = (f: Figures) => f.two.reduce((s, r) => s + r.mpps, 0);
  const p = panel instanceof Error ? null : panel;
  const noShell = p ? (p.beforeMpps + p.afterMpps) / 2 : Number.NaN;
  const metrics = [
    both('fwd_1proc_mpps', 'forwarding, 1 process (Mpps)', (f) => f.one.mpps, 1),
    both('fwd_2proc_mpps', 'forwarding, 2 processes (Mpps)', sum2, 1),
    only('fwd_no_shell_mpps', 'forwarding, no shell (Mpps, telemetry)', noShell, 1),
    only('fwd_live_panel_mpps', 'forwarding, live panel shown (Mpps, telemetry)', p ? p.panelMpps : Number.NaN, 1),
    only('live_panel_overhead_pct', 'live panel overhead (% of the rate)', p ? (1 - p.panelMpps / noShell) * 100 : Number.NaN, 2),
    only('live_panel_shell_cpu_pct', 'shell CPU, live panel (% of a core)', p ? p.shellCpuPct : Number.NaN, 1),
    both('idle_cpu_worker_pct', 'idle CPU, worker, no traffic (% of a core)', (f) => f.idle.pct, 1),
  ];
  // Stock's counters wrap at 2^32: say how far from that its fastest port was.
  const stockPortMpps = Math.max(...[stock.one, ...stock.two].flatMap((r) => r.ports.map((c) => c.rx / r.seconds / 1e6)));
  const notes = [
    `forwarding: net_null0/1, -p 3; RX summed over ports / seconds from 'Finished Process Init' to SIGINT (${WINDOW_MS / 1000} s); 1 process --lcores=${SINGLE_LCORE}; 2 processes primary --lcores=${PAIR_LCORES[0]} proc-id 0 + secondary --lcores=${PAIR_LCORES[1]} proc-id 1, each one's RX over its own window, summed`,
    `stock's counters are 32-bit: at its fastest port's ${stockPortMpps.toFixed(1)} Mpps they wrap after ${(2 ** 32 / (stockPortMpps * 1e6)).toFixed(0)} s; windows are ${WINDOW_MS / 1000} s`,
    `idle: net_ring0/1 (nothing arrives), --lcores=${SINGLE_LCORE}, utime+stime of all threads over ${WINDOW_MS / 1000} s, ${SETTLE_MS / 1000} s after ready; 100% = one core`,
    `1-minute load average at the start: ${loadAvg.toFixed(2)} (other processes on the ${os.availableParallelism()} CPUs skew rates)`,
  ];
  if (p) {
    notes.push(
      `live panel: one mpsh worker --lcores=${SINGLE_LCORE}; net_null's RX via DPDK telemetry over ${WINDOW_MS / 1000} s windows: no shell ${p.beforeMpps.toFixed(1)}, ` +
        `panel ${p.panelMpps.toFixed(1)}, no shell again ${p.afterMpps.toFixed(1)} Mpps; the shell is a secondary (160x40 tmux), overhead = 1 - panel / mean(no shell); tmux server CPU ${p.tmuxCpuPct.toFixed(1)}%`,
    );
    const behind = p.exitMinusPmd.map((d, i) => [PORTS[i], d] as const).filter(([, d]) => !(d >= 0));
    if (behind.length > 0) notes.push(`mpsh ANOMALY: exit RX below net_null's own count taken before SIGINT (${behind.map(([port, d]) => `port ${port}: ${d}`).join(', ')})`);
    for (const a of counterAnomalies(p.run)) notes.push(`mpsh live-panel run: ${a}`);
  } else {
    notes.push(`live panel: not measured: ${panel instanceof Error ? panel.message.split('\n')[0] : ''}`);
  }
  for (const [name, f] of [['mpsh', mpsh], ['stock', stock]] as const) {
    for (const [what, r] of [['1 process', f.one], ['2 processes primary', f.two[0]], ['2 processes secondary', f.two[1]]] as const) {
      for (const a of counterAnomalies(r)) notes.push(`${name} ${what}: ${a}`);
    }
    if (f.idle.run.rx !== 0) notes.push(`${name} idle: ${f.idle.run.rx} packets received on net_ring`);
  }
  return { name: 'symmetric_mp', title: `symmetric_mp: mpsh vs stock dpdk-symmetric_mp (${os.availableParallelism()} CPUs, one run)`, metrics, notes };
}

/** Each figure for mpsh then stock back to back, so slow drifts of the machine fall on both alike. */
async function measureBoth(mpsh: Program, stock: Program): Promise<[Figures, Figures]> {
  const pair = async <T>(what: string, fn: (p: Program) => Promise<T>): Promise<[T, T]> => {
    log(`mpsh: ${what}`);
    const a = await fn(mpsh);
    log(`stock: ${what}`);
    return [a, await fn(stock)];
  };
  const one = await pair('forwarding, 1 process', forwardOne);
  const two = await pair('forwarding, 2 processes', forwardTwo);
  const idle = await pair('idle CPU', idleCpu);
  return [0, 1].map((i) => ({ one: one[i], two: two[i], idle: idle[i] })) as [Figures, Figures];
}

export const symmetricBenchmark: Benchmark = {
  name: 'symmetric_mp',
  async run(): Promise<BenchResult> {
    if (os.availableParallelism() < 2) throw new Error(`needs at least 2 CPUs (the 2-process run uses --lcores=${PAIR_LCORES.join(' and ')})`);
    const loadAvg = os.loadavg()[0];
    log('building stock symmetric_mp in a temporary directory');
    const stock = buildStockSymmetricMp();
    try {
      const [mpshFigures, stockFigures] = await measureBoth(mpshProgram, stockProgram(stock.binary));
      log('mpsh: forwarding with and without a live panel');
      // Only this part needs python3 and tmux: without them the rest still stands, and a note says why.
      let panel: PanelFigures | Error;
      try {
        panel = await forwardWithPanel();
      } catch (err) {
        if (!(err instanceof Error) || !/python3 is missing|cannot run tmux/.test(err.message)) throw err;
        panel = err;
      }
      return toResult(mpshFigures, stockFigures, panel, loadAvg);
    } finally {
      stock.dispose();
    }
  },
};
