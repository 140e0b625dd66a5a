/**
 * symmetric_mp: `mpsh symmetric` against the stock dpdk-symmetric_mp, both
 * started with the same EAL and app options (symmetricRuns.ts):
 *   - forwarding rate on two net_null ports, one process and two (primary +
 *     secondary on the two CPUs), from the exit counters after SIGINT; the
 *     best of a few trials, mpsh and stock alternating;
 *   - (mpsh) the rate while an mpsh shell shows the live counter panel in a
 *     real terminal, against the same worker with the shell paused
 *     (symmetricPanel.ts);
 *   - CPU of a worker whose ports deliver nothing (net_ring).
 */
import os from 'node:os';
import { counterAnomalies, type ForwardRun } from './forwarder.js';
import { QuietGate } from './machineLoad.js';
import type { Benchmark, BenchResult, Metric } from './report.js';
import { buildStock } from '../harness/stock.js';
import { CYCLES, forwardWithPanel, HALF_MS, type PanelFigures } from './symmetricPanel.js';
import {
  forwardOne,
  forwardTwo,
  idleCpu,
  mpshProgram,
  PAIR_LCORES,
  PORTS,
  SETTLE_MS,
  SINGLE_LCORE,
  stockProgram,
  WINDOW_MS,
  type IdleRun,
  type Program,
  type Trial,
} from './symmetricRuns.js';

/** Forwarding trials per program; the machine's other load slows single 5 s runs by up to half. */
const TRIALS = 5;

interface Figures {
  one: Trial[];
  two: Trial[];
  idle: IdleRun;
}

const log = (msg: string) => process.stderr.write(`bench symmetric_mp: ${msg}\n`);

const rates = (trials: Trial[]) => trials.map((t) => t.mpps);
/** Each trial's rate with, in brackets, the CPU the rest of the machine took meanwhile. */
const list = (trials: Trial[]) => trials.map((t) => `${t.mpps.toFixed(1)} [${t.othersPct.toFixed(0)}%]`).join(', ');

/** Each figure for mpsh then stock back to back, trial after trial, so slow drifts of the machine fall on both alike. */
async function measureBoth(mpsh: Program, stock: Program, gate: QuietGate): Promise<[Figures, Figures]> {
  const pair = async <T>(what: string, fn: (p: Program) => Promise<T>): Promise<[T, T]> => {
    await gate.wait();
    log(`mpsh: ${what}`);
    const a = await fn(mpsh);
    await gate.wait();
    log(`stock: ${what}`);
    return [a, await fn(stock)];
  };
  const one: [Trial[], Trial[]] = [[], []];
  const two: [Trial[], Trial[]] = [[], []];
  for (let t = 1; t <= TRIALS; t++) {
    const [m, s] = await pair(`forwarding, 1 process, trial ${t}/${TRIALS}`, forwardOne);
    one[0].push(m);
    one[1].push(s);
  }
  for (let t = 1; t <= TRIALS; t++) {
    const [m, s] = await pair(`forwarding, 2 processes, trial ${t}/${TRIALS}`, forwardTwo);
    two[0].push(m);
    two[1].push(s);
  }
  const idle = await pair('idle CPU', idleCpu);
  return [0, 1].map((i) => ({ one: one[i], two: two[i], idle: idle[i] })) as [Figures, Figures];
}

function anomalies(name: string, program: Program, f: Figures): string[] {
  const out: string[] = [];
  const runs: [string, ForwardRun][] = [
    ...f.one.map((t, i): [string, ForwardRun] => [`1 process trial ${i + 1}`, t.runs[0]]),
    ...f.two.flatMap((t, i) => t.runs.map((r, j): [string, ForwardRun] => [`2 processes trial ${i + 1} ${j === 0 ? 'primary' : 'secondary'}`, r])),
  ];
  for (const [what, r] of runs) for (const a of counterAnomalies(r, program.burstSlack)) out.push(`${name} ${what}: ${a}`);
  if (f.idle.run.rx !== 0) out.push(`${name} idle: ${f.idle.run.rx} packets received on net_ring`);
  return out;
}

function toResult(mpsh: Figures, stock: Figures, panel: PanelFigures | Error, gate: QuietGate, programs: [Program, Program]): BenchResult {
  const both = (key: string, label: string, pick: (f: Figures) => number, decimals: number): Metric => ({
    key,
    label,
    mpsh: pick(mpsh),
    stock: pick(stock),
    decimals,
  });
  const only = (key: string, label: string, pick: (p: PanelFigures) => number, decimals: number): Metric => ({
    key,
    label,
    mpsh: panel instanceof Error ? Number.NaN : pick(panel),
    stock: Number.NaN,
    decimals,
  });
  const metrics = [
    both('fwd_1proc_mpps', `forwarding, 1 process (Mpps, best of ${TRIALS})`, (f) => Math.max(...rates(f.one)), 1),
    both('fwd_2proc_mpps', `forwarding, 2 processes (Mpps, best of ${TRIALS})`, (f) => Math.max(...rates(f.two)), 1),
    only('fwd_shell_paused_mpps', 'forwarding, shell paused (Mpps)', (p) => p.pausedMpps, 1),
    only('fwd_live_panel_mpps', 'forwarding, live panel shown (Mpps)', (p) => p.shownMpps, 1),
    only('live_panel_overhead_pct', 'live panel overhead (% of the rate)', (p) => p.overheadPct, 2),
    only('live_panel_shell_cpu_pct', 'shell CPU, live panel (% of a core)', (p) => p.shellCpuPct, 1),
    both('idle_cpu_worker_pct', 'idle CPU, worker, no traffic (% of a core)', (f) => f.idle.pct, 1),
  ];
  // Stock's counters wrap at 2^32: say how far from that its fastest port was.
  const stockPortMpps = Math.max(...[...stock.one, ...stock.two].flatMap((t) => t.runs.flatMap((r) => r.ports.map((c) => c.rx / r.seconds / 1e6))));
  const notes = [
    `forwarding: net_null0/1, -p 3; RX summed over ports / seconds from 'Finished Process Init' to SIGINT (${WINDOW_MS / 1000} s); best of ${TRIALS} trials, mpsh and stock alternating (other load only ever slows a trial down); [n%]: CPU the rest of the machine used meanwhile (% of a core)`,
    `1 process: --lcores=${SINGLE_LCORE}; trials mpsh ${list(mpsh.one)}, stock ${list(stock.one)} Mpps`,
    `2 processes: primary --lcores=${PAIR_LCORES[0]} proc-id 0, secondary --lcores=${PAIR_LCORES[1]} proc-id 1, each one's RX over its own window, summed; trials mpsh ${list(mpsh.two)}, stock ${list(stock.two)} Mpps`,
    `stock's counters are 32-bit: at its fastest port's ${stockPortMpps.toFixed(1)} Mpps they wrap after ${(2 ** 32 / (stockPortMpps * 1e6)).toFixed(0)} s; runs are ${WINDOW_MS / 1000} s`,
    `idle: net_ring0/1 (nothing arrives), --lcores=${SINGLE_LCORE}, utime+stime of all threads over ${WINDOW_MS / 1000} s, ${SETTLE_MS / 1000} s after ready; 100% = one core`,
    gate.describe(),
  ];
  if (panel instanceof Error) {
    notes.push(`live panel: not measured: ${panel.message.split('\n')[0]}`);
  } else {
    notes.push(
      `live panel: one mpsh worker --lcores=${SINGLE_LCORE}, an mpsh secondary shell on its prefix in a 160x40 tmux terminal; net_null's RX via DPDK telemetry over ${CYCLES} pairs of ${HALF_MS / 1000} s windows, panel shown / shell paused (SIGSTOP); rates are medians, overhead = 1 - median over pairs of shown / paused; other processes used ${panel.othersShownPct.toFixed(0)}% / ${panel.othersPausedPct.toFixed(0)}% of a core meanwhile`,
      `live panel: no shell at all, ${WINDOW_MS / 1000} s before it started ${panel.beforeMpps.toFixed(1)} and after it left ${panel.afterMpps.toFixed(1)} Mpps; tmux server CPU while shown ${panel.tmuxCpuPct.toFixed(1)}% of a core`,
    );
    const behind = panel.exitMinusPmd.map((d, i) => [PORTS[i], d] as const).filter(([, d]) => !(d >= 0));
    if (behind.length > 0)
      notes.push(`mpsh ANOMALY: exit RX below net_null's own count taken before SIGINT (${behind.map(([p, d]) => `port ${p}: ${d}`).join(', ')})`);
    for (const a of counterAnomalies(panel.run)) notes.push(`mpsh live-panel run: ${a}`);
  }
  notes.push(...anomalies('mpsh', programs[0], mpsh), ...anomalies('stock', programs[1], stock));
  return { name: 'symmetric_mp', title: `symmetric_mp: mpsh vs stock dpdk-symmetric_mp (${os.availableParallelism()} CPUs, one run)`, metrics, notes };
}

export const symmetricBenchmark: Benchmark = {
  name: 'symmetric_mp',
  async run(): Promise<BenchResult> {
    if (os.availableParallelism() < 2) throw new Error(`needs at least 2 CPUs (the 2-process run uses --lcores=${PAIR_LCORES.join(' and ')})`);
    log('building stock symmetric_mp in a temporary directory');
    const build = buildStock(['symmetric_mp']);
    try {
      const programs: [Program, Program] = [mpshProgram, stockProgram(build.binary('symmetric_mp'))];
      const gate = new QuietGate();
      const [mpsh, stock] = await measureBoth(...programs, gate);
      log('mpsh: forwarding with the live panel shown and with the shell paused');
      // Only this part needs python3 (telemetry) and tmux: without them the rest still stands, and a note says why.
      let panel: PanelFigures | Error;
      try {
        await gate.wait();
        panel = await forwardWithPanel();
      } catch (err) {
        if (!(err instanceof Error) || !/python3 is missing|cannot run tmux/.test(err.message)) throw err;
        panel = err;
      }
      return toResult(mpsh, stock, panel, gate, programs);
    } finally {
      build.dispose();
    }
  },
};
