/**
 * simple_mp: mpsh against the stock sample, both driven the same way through
 * pipes (line mode), one pair after the other since the machine may have only
 * two CPUs. For each pair (primary, then secondary on the same prefix):
 *   - start-to-prompt time of each process,
 *   - idle CPU of each process over a quiet window,
 *   - resident memory of each process after that window,
 *   - send-to-receive latency, primary to secondary, one message in flight,
 *     spaced so the receiver is idle each time (idle-to-wake latency).
 */
import os from 'node:os';
import { cpuPercentOver, rssKiB } from './procstat.js';
import { benchPrefix, removePrefixFiles } from '../harness/prefix.js';
import { percentile, type Benchmark, type BenchResult, type Metric } from './report.js';
import { mpshArgv, ROOT } from '../harness/repo.js';
import { ShellProcess } from './shellProcess.js';
import { buildStock } from '../harness/stock.js';
import { sleep, type Argv } from '../harness/watchedProcess.js';

const PROMPT_TIMEOUT_MS = 60_000;
/** Lets start-up work (JIT, GC, lcore launch) finish so the idle window sees only idling. */
const SETTLE_MS = 1_000;
const IDLE_WINDOW_MS = 5_000;
const MESSAGES = 1_000;
/** Not counted: first sends fault in pages and (for mpsh) warm up the JIT; the same for both programs. */
const WARMUP_MESSAGES = 20;
/** Pause after each receipt before the next send, so every message finds the receiver idle. */
const GAP_MS = 2;
/** A message not seen by then is counted lost, and the run goes on. */
const RECEIVE_TIMEOUT_MS = 1_000;

type Role = 'primary' | 'secondary';

interface Program {
  name: 'mpsh' | 'stock';
  prefix: string;
  launch(role: Role): Argv;
}

interface PerProcess {
  primary: number;
  secondary: number;
}

interface PairFigures {
  startMs: PerProcess;
  idleCpuPct: PerProcess;
  rssMiB: PerProcess;
  latencyUs: { p50: number; p99: number; lost: number };
}

function mpshProgram(): Program {
  const prefix = benchPrefix('mpsh');
  return {
    name: 'mpsh',
    prefix,
    // mpsh picks its own lcores and, as primary, its two net_null ports.
    launch: (role) => mpshArgv(['--file-prefix', prefix, `--proc-type=${role}`]),
  };
}

function stockProgram(binary: string): Program {
  const prefix = benchPrefix('stock');
  // Two processes of one prefix must not share an lcore id; both get CPUs 0 and 1.
  const lcores: Record<Role, string> = { primary: '0@0,1@1', secondary: '2@0,3@1' };
  return {
    name: 'stock',
    prefix,
    // stdbuf -oL: stock prints with stdio, fully buffered on a pipe; line buffering
    // makes each received line reach us when printed, as on a terminal. stdbuf
    // execs the binary, so the pid measured is simple_mp's own.
    launch: (role) => ({
      command: 'stdbuf',
      args: ['-oL', binary, `--lcores=${lcores[role]}`, '--file-prefix', prefix, `--proc-type=${role}`, '--no-pci'],
    }),
  };
}

/** Microseconds from writing `send <id>` to the sender until `Received '<id>'` arrives from the receiver, or null if lost. */
function oneMessage(sender: ShellProcess, waiting: Map<string, (at: bigint) => void>, id: string): Promise<number | null> {
  return new Promise((resolve) => {
    let sentAt = 0n;
    const timer = setTimeout(() => {
      waiting.delete(id);
      resolve(null);
    }, RECEIVE_TIMEOUT_MS);
    // Registered before the write, so even an instant receipt is matched.
    waiting.set(id, (at) => {
      clearTimeout(timer);
      resolve(Number(at - sentAt) / 1e3);
    });
    try {
      sentAt = sender.writeLine(`send ${id}`);
    } catch (err) {
      clearTimeout(timer);
      waiting.delete(id);
      throw err;
    }
  });
}

async function measureLatency(sender: ShellProcess, receiver: ShellProcess): Promise<PairFigures['latencyUs']> {
  const waiting = new Map<string, (at: bigint) => void>();
  receiver.onReceive((r) => {
    const done = waiting.get(r.text);
    if (done) {
      waiting.delete(r.text);
      done(r.at);
    }
  });
  const samples: number[] = [];
  let lost = 0;
  try {
    for (let i = 0; i < WARMUP_MESSAGES + MESSAGES; i++) {
      // One word, no spaces: stock's send takes a single token.
      const warm = i < WARMUP_MESSAGES;
      const us = await oneMessage(sender, waiting, warm ? `w${i}` : `m${i - WARMUP_MESSAGES}`);
      if (receiver.exitStatus) throw new Error(`receiver exited during the latency run: ${receiver.describe()}`);
      if (!warm) {
        if (us === null) lost++;
        else samples.push(us);
      }
      await sleep(GAP_MS);
    }
  } finally {
    receiver.onReceive(null);
  }
  if (samples.length === 0) throw new Error(`no message arrived: ${receiver.describe()}`);
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99), lost };
}

function start(program: Program, role: Role): ShellProcess {
  return new ShellProcess(`${program.name} ${role}`, program.launch(role), ROOT);
}

async function measurePair(program: Program): Promise<PairFigures> {
  removePrefixFiles(program.prefix);
  const started: ShellProcess[] = [];
  try {
    const primary = start(program, 'primary');
    started.push(primary);
    const primaryStart = await primary.waitForPrompt(PROMPT_TIMEOUT_MS);
    const secondary = start(program, 'secondary');
    started.push(secondary);
    const secondaryStart = await secondary.waitForPrompt(PROMPT_TIMEOUT_MS);

    await sleep(SETTLE_MS);
    const [cpuP, cpuS] = await cpuPercentOver([primary.pid, secondary.pid], IDLE_WINDOW_MS);
    const rssMiB = { primary: rssKiB(primary.pid) / 1024, secondary: rssKiB(secondary.pid) / 1024 };
    const latencyUs = await measureLatency(primary, secondary);
    return {
      startMs: { primary: primaryStart, secondary: secondaryStart },
      idleCpuPct: { primary: cpuP, secondary: cpuS },
      rssMiB,
      latencyUs,
    };
  } finally {
    // Secondary first: a primary should outlive the processes mapped onto its memory.
    for (const proc of started.reverse()) await proc.quit();
    removePrefixFiles(program.prefix);
  }
}

function toResult(mpsh: PairFigures, stock: PairFigures): BenchResult {
  const m = (key: string, label: string, pick: (f: PairFigures) => number, decimals: number): Metric => ({
    key,
    label,
    mpsh: pick(mpsh),
    stock: pick(stock),
    decimals,
  });
  const notes = [
    `latency: ${MESSAGES} messages primary -> secondary after ${WARMUP_MESSAGES} warm-up, one in flight, ${GAP_MS} ms pause after each receipt`,
    `idle CPU: utime+stime over ${IDLE_WINDOW_MS / 1000} s, ${SETTLE_MS / 1000} s after both prompts; 100% = one core busy`,
    'stock: make-built sample under stdbuf -oL, --lcores=0@0,1@1 / 2@0,3@1 --no-pci; mpsh: its own lcores, 2 net_null ports',
  ];
  for (const [name, f] of [
    ['mpsh', mpsh],
    ['stock', stock],
  ] as const) {
    if (f.latencyUs.lost > 0)
      notes.push(`${name}: ${f.latencyUs.lost} of ${MESSAGES} messages not received within ${RECEIVE_TIMEOUT_MS} ms (left out of the percentiles)`);
  }
  return {
    name: 'simple_mp',
    title: `simple_mp: mpsh vs stock dpdk-simple_mp (${os.availableParallelism()} CPUs, one run)`,
    metrics: [
      m('idle_cpu_primary_pct', 'idle CPU, primary (% of a core)', (f) => f.idleCpuPct.primary, 1),
      m('idle_cpu_secondary_pct', 'idle CPU, secondary (% of a core)', (f) => f.idleCpuPct.secondary, 1),
      m('latency_p50_us', 'send-to-receive p50 (µs)', (f) => f.latencyUs.p50, 0),
      m('latency_p99_us', 'send-to-receive p99 (µs)', (f) => f.latencyUs.p99, 0),
      m('start_to_prompt_primary_ms', 'start to prompt, primary (ms)', (f) => f.startMs.primary, 0),
      m('start_to_prompt_secondary_ms', 'start to prompt, secondary (ms)', (f) => f.startMs.secondary, 0),
      m('rss_primary_mib', 'VmRSS, primary (MiB)', (f) => f.rssMiB.primary, 1),
      m('rss_secondary_mib', 'VmRSS, secondary (MiB)', (f) => f.rssMiB.secondary, 1),
    ],
    notes,
  };
}

const log = (msg: string) => process.stderr.write(`bench simple_mp: ${msg}\n`);

export const simpleMpBenchmark: Benchmark = {
  name: 'simple_mp',
  async run(): Promise<BenchResult> {
    // Stock pins its lcores to CPUs 0 and 1.
    if (os.availableParallelism() < 2) throw new Error('needs at least 2 CPUs (stock runs --lcores=0@0,1@1)');
    log('building stock simple_mp in a temporary directory');
    const stock = buildStock(['simple_mp']);
    try {
      log('measuring mpsh (primary + secondary)');
      const mpshFigures = await measurePair(mpshProgram());
      log('measuring stock (primary + secondary)');
      const stockFigures = await measurePair(stockProgram(stock.binary('simple_mp')));
      return toResult(mpshFigures, stockFigures);
    } finally {
      stock.dispose();
    }
  },
};
