/**
 * The symmetric_mp runs, each in a file prefix of its own: one worker or a
 * primary + secondary pair forwarding between two net_null ports, or one
 * worker whose ports receive nothing. The same options go to `mpsh
 * symmetric` and to the stock sample, so each figure compares like with like.
 */
import { onHardExit } from '../harness/children.js';
import { Forwarder, type ForwardRun } from './forwarder.js';
import { benchPrefix, removePrefixFiles } from '../harness/prefix.js';
import { othersDuring } from './machineLoad.js';
import { cpuPercentOver } from './procstat.js';
import { mpshArgv, ROOT } from '../harness/repo.js';
import { measureWindow, type Argv } from '../harness/watchedProcess.js';

export const READY_TIMEOUT_MS = 60_000;
export const EXIT_TIMEOUT_MS = 10_000;
/** Short on purpose: stock's 32-bit counters wrap at 2^32 (tens of seconds at net_null rates). */
export const WINDOW_MS = 5_000;
export const SETTLE_MS = 1_000;
/** One lcore id, the same for both programs; mpsh moves its loop onto it. */
export const SINGLE_LCORE = '10@1';
export const PAIR_LCORES = ['10@0', '11@1'] as const;
export const NULL_PORTS = ['--vdev=net_null0', '--vdev=net_null1'];
/** net_ring with no arguments: a port whose RX ring nobody fills. */
export const RING_PORTS = ['--vdev=net_ring0', '--vdev=net_ring1'];
export const PORTS = [0, 1];

export type Name = 'mpsh' | 'stock';

export interface Program {
  name: Name;
  argv(eal: string[], app: string[]): Argv;
  /**
   * How far RX of one port may run ahead of TX + drop of its pair in the exit
   * report. Stock prints from the signal handler, which can interrupt its loop
   * between counting a burst's RX and its TX: one burst (32).
   */
  burstSlack: number;
}

export interface WorkerSpec {
  lcores: string;
  role: 'primary' | 'secondary';
  vdevs: string[];
  numProcs: number;
  procId: number;
}

export const mpshProgram: Program = {
  name: 'mpsh',
  argv: (eal, app) => mpshArgv(['symmetric', ...eal, '--', ...app]),
  burstSlack: 0,
};

export function stockProgram(binary: string): Program {
  // stdbuf -oL: stock's Port lines are stdio; line buffering keeps them if it dies instead of exiting. stdbuf execs, so the pid is the sample's.
  return { name: 'stock', argv: (eal, app) => ({ command: 'stdbuf', args: ['-oL', binary, ...eal, '--', ...app] }), burstSlack: 32 };
}

export type Start = (program: Program, spec: WorkerSpec) => Forwarder;

/** One file prefix and the workers started in it: all stopped and the prefix files removed however the run ends. */
export async function inPrefix<T>(tag: string, body: (start: Start, prefix: string) => Promise<T>): Promise<T> {
  const prefix = benchPrefix(`sym-${tag}`);
  const started: Forwarder[] = [];
  removePrefixFiles(prefix);
  const removeHook = onHardExit(() => removePrefixFiles(prefix));
  const start: Start = (program, s) => {
    const eal = [`--lcores=${s.lcores}`, '--file-prefix', prefix, `--proc-type=${s.role}`, '--no-pci', ...s.vdevs];
    const app = ['-p', '3', '--num-procs', String(s.numProcs), '--proc-id', String(s.procId)];
    const f = new Forwarder(`${program.name} ${s.role} (proc-id ${s.procId})`, program.argv(eal, app), ROOT);
    started.push(f);
    return f;
  };
  try {
    return await body(start, prefix);
  } finally {
    // Secondaries first: a primary should outlive the processes mapped onto its memory.
    for (const f of started.reverse()) await f.stop('SIGTERM', 3_000);
    removePrefixFiles(prefix);
    removeHook();
  }
}

export const single = (vdevs: string[]): WorkerSpec => ({ lcores: SINGLE_LCORE, role: 'primary', vdevs, numProcs: 1, procId: 0 });

/** One forwarding measurement: each process's exit report, and the pair's (or the single's) rate. */
export interface Trial {
  runs: ForwardRun[];
  /** Sum of each process's RX over its own window. */
  mpps: number;
  /** CPU the rest of the machine used during the window (all CPUs' busy time less the workers'), in % of one core. */
  othersPct: number;
}

const trial = (runs: ForwardRun[], othersPct: number): Trial => ({ runs, mpps: runs.reduce((s, r) => s + r.mpps, 0), othersPct });

/** One primary alone on net_null: ready, a window, SIGINT. */
export function forwardOne(program: Program): Promise<Trial> {
  return inPrefix(`${program.name}-1p`, async (start) => {
    const w = start(program, single(NULL_PORTS));
    await w.waitReady(READY_TIMEOUT_MS);
    const [, othersPct] = await othersDuring([w.pid], () => measureWindow(WINDOW_MS, [w]));
    return trial([await w.interrupt(EXIT_TIMEOUT_MS)], othersPct);
  });
}

/**
 * Primary (proc-id 0, CPU 0) and secondary (proc-id 1, CPU 1), stopped
 * secondary first. Each process's rate is over its own window (the primary's
 * also spans the secondary's start-up); their sum is the pair's rate.
 */
export function forwardTwo(program: Program): Promise<Trial> {
  return inPrefix(`${program.name}-2p`, async (start) => {
    const p = start(program, { lcores: PAIR_LCORES[0], role: 'primary', vdevs: NULL_PORTS, numProcs: 2, procId: 0 });
    await p.waitReady(READY_TIMEOUT_MS);
    const s = start(program, { lcores: PAIR_LCORES[1], role: 'secondary', vdevs: [], numProcs: 2, procId: 1 });
    await s.waitReady(READY_TIMEOUT_MS);
    const [, othersPct] = await othersDuring([p.pid, s.pid], () => measureWindow(WINDOW_MS, [p, s]));
    const rs = await s.interrupt(EXIT_TIMEOUT_MS);
    const rp = await p.interrupt(EXIT_TIMEOUT_MS);
    return trial([rp, rs], othersPct);
  });
}

export interface IdleRun {
  /** utime + stime of all threads over the window, in % of one core. */
  pct: number;
  run: ForwardRun;
}

/** CPU of a primary whose ports never receive, over a window after it settles. */
export function idleCpu(program: Program): Promise<IdleRun> {
  return inPrefix(`${program.name}-idle`, async (start) => {
    const w = start(program, single(RING_PORTS));
    await w.waitReady(READY_TIMEOUT_MS);
    await measureWindow(SETTLE_MS, [w]);
    const [[pct]] = await Promise.all([cpuPercentOver([w.pid], WINDOW_MS), measureWindow(WINDOW_MS, [w])]);
    return { pct, run: await w.interrupt(EXIT_TIMEOUT_MS) };
  });
}
