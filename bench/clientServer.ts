/**
 * client_server_mp: `mpsh server` / `mpsh client` against the stock
 * mp_server / mp_client, started with the same EAL and app options, on two
 * net_null ports, each run in a file prefix of its own:
 *   - throughput, 1 client (server on CPU 0, client on CPU 1): server RX and
 *     client TX per second, summed over ports, over one window after both
 *     are ready, in THROUGHPUT_ROUNDS rounds with the programs alternated,
 *     reported as medians (one window each swung 0.62-2.37x between runs on
 *     a 2-CPU VM, 2026-12-02);
 *   - a dead client: server with 2 clients, client 1 SIGKILLed; over the
 *     next window, the packets dropped for client 1 as a share of what the
 *     server received (stock keeps round-robining to it: about half; mpsh
 *     skips a client whose process is gone).
 *
 * Counters are read while the processes run, through an mpsh shell attached
 * to the prefix (`stats --json`: port_info's port RX and client TX, which
 * both servers and clients fill the same way, and mpsh's per-client
 * rx_drop), and for stock's per-client rx_drop, which it keeps private,
 * from the stats screen its server prints every second. The same idle shell
 * is attached in every run, mpsh's and stock's alike. How a run starts and
 * stops its processes is clientServerRun.ts.
 */
import os from 'node:os';
import type { Counters } from './clientServerProcs.js';
import {
  checkInterrupted,
  CLIENT_EAL,
  clientLcores,
  mpshProgram,
  PORT_MASK,
  Run,
  SERVER_EAL,
  SERVER_LCORES,
  stockProgram,
  watchInterrupts,
  type Program,
} from './clientServerRun.js';
import { clockTicksPerSecond } from './procstat.js';
import { median, type Benchmark, type BenchResult, type Metric } from './report.js';
import { buildStock } from '../harness/stock.js';
import { measureWindow } from '../harness/watchedProcess.js';
import { KILLS, repeatedKills, type KillSeries } from './clientServerKills.js';

/** After the last process is ready: lets start-up work (and the shell's own start) finish before the first reading. */
const SETTLE_MS = 1_000;
const THROUGHPUT_WINDOW_MS = 5_000;
const THROUGHPUT_ROUNDS = 6;
/** From the shell's prompt to the kill of client 1 (includes SETTLE_MS). */
const BEFORE_KILL_MS = 2_000;
const AFTER_KILL_MS = 3_000;
/** Stock's screen comes every second: the window after the kill is this many screens. */
const AFTER_KILL_SCREENS = 3;
/** Client 0 TX below this after the kill (Mpps): it has stalled. */
const STALLED_MPPS = 0.1;

interface ThroughputFigures {
  serverRxMpps: number;
  clientTxMpps: number;
  seconds: number;
  shellCpuPct: number;
  anomalies: string[];
}

interface KillFigures {
  /** Packets dropped for client 1 after its kill, as a share (%) of server RX in the window. */
  dropSharePct: number;
  client1Drops: number;
  /** All clients' rx_drop growth as a share of server RX. */
  allDropSharePct: number;
  serverRxMpps: number;
  client0TxMpps: number;
  seconds: number;
  /** mpsh: client 1 skipped at the end of the window. */
  skipped: boolean | null;
  shellCpuPct: number;
  anomalies: string[];
}

const log = (msg: string) => process.stderr.write(`bench client_server_mp: ${msg}\n`);

const mpps = (packets: number, seconds: number) => packets / seconds / 1e6;
const secondsBetween = (a: Counters, b: Counters) => Number(b.t - a.t) / 1e9;
const shellPct = (ticks: number, seconds: number) => (ticks / clockTicksPerSecond() / seconds) * 100;

/** One program's rounds as one set of figures: the medians, every round's anomalies. */
function medianOf(rounds: ThroughputFigures[]): ThroughputFigures {
  const of = (pick: (f: ThroughputFigures) => number) => median(rounds.map(pick));
  return {
    serverRxMpps: of((f) => f.serverRxMpps),
    clientTxMpps: of((f) => f.clientTxMpps),
    seconds: of((f) => f.seconds),
    shellCpuPct: of((f) => f.shellCpuPct),
    anomalies: rounds.flatMap((f) => f.anomalies),
  };
}

/** Per-round ratios mpsh/stock, as the note prints them. */
function roundRatios(mpsh: ThroughputFigures[], stock: ThroughputFigures[]): string {
  const list = (pick: (f: ThroughputFigures) => number) => {
    const r = mpsh.map((m, i) => pick(m) / pick(stock[i]!));
    return `${r.map((x) => x.toFixed(2)).join(' ')} (median ${median(r).toFixed(3)})`;
  };
  return `RX ${list((f) => f.serverRxMpps)}; TX ${list((f) => f.clientTxMpps)}`;
}

async function throughput(program: Program): Promise<ThroughputFigures> {
  const run = new Run(program, 'tput', 1);
  return run.execute(async () => {
    await measureWindow(SETTLE_MS, run.running());
    const ticks0 = run.shellCpuTicks();
    const a = await run.shell.sample();
    await measureWindow(THROUGHPUT_WINDOW_MS, run.running());
    const b = await run.shell.sample();
    const ticks1 = run.shellCpuTicks();
    const seconds = secondsBetween(a, b);
    const tx = b.clients[0].tx - a.clients[0].tx;
    return {
      serverRxMpps: mpps(b.portRx - a.portRx, seconds),
      clientTxMpps: mpps(tx, seconds),
      seconds,
      shellCpuPct: shellPct(ticks1 - ticks0, seconds),
      anomalies: run.anomalies,
    };
  });
}

async function deadClient(program: Program): Promise<KillFigures> {
  const run = new Run(program, 'kill', 2);
  return run.execute(async () => {
    await measureWindow(BEFORE_KILL_MS, run.running());
    const victim = run.clients[1];
    const ticks0 = run.shellCpuTicks();
    let a: Counters;
    let b: Counters;
    if (run.screens) {
      // Stock: the kill right as a screen arrives, and the window ends on the AFTER_KILL_SCREENS-th screen after it.
      const n = run.screens.screens.length;
      a = await run.screens.after(run.server, n);
      await victim.stop('SIGKILL', 0);
      b = await run.screens.after(run.server, n + AFTER_KILL_SCREENS, (AFTER_KILL_SCREENS + 3) * 1_000);
    } else {
      a = await run.shell.sample();
      await victim.stop('SIGKILL', 0);
      await measureWindow(AFTER_KILL_MS, run.running());
      b = await run.shell.sample();
    }
    const ticks1 = run.shellCpuTicks();
    const seconds = secondsBetween(a, b);
    // Every process but the victim must have lived through the window.
    for (const p of run.procs) if (p !== victim && p.exitStatus) throw new Error(`exited during the window after the kill: ${p.describe()}`);
    const rx = b.portRx - a.portRx;
    const dropOf = (c: Counters, id: number) => {
      const d = c.clients[id]?.rxDrop;
      if (d === null || d === undefined) throw new Error(`${program.name}: no rx_drop for client ${id} in a reading`);
      return d;
    };
    const client1Drops = dropOf(b, 1) - dropOf(a, 1);
    const allDrops = client1Drops + dropOf(b, 0) - dropOf(a, 0);
    return {
      dropSharePct: (client1Drops / rx) * 100,
      client1Drops,
      allDropSharePct: (allDrops / rx) * 100,
      serverRxMpps: mpps(rx, seconds),
      client0TxMpps: mpps(b.clients[0].tx - a.clients[0].tx, seconds),
      seconds,
      skipped: b.clients[1]?.skipped ?? null,
      shellCpuPct: shellPct(ticks1 - ticks0, seconds),
      anomalies: run.anomalies,
    };
  });
}

interface Figures {
  tput: ThroughputFigures;
  kill: KillFigures;
  kills: KillSeries;
}

function toResult(mpsh: Figures, stock: Figures, loadAvg: number, ratios: string): BenchResult {
  const m = (key: string, label: string, pick: (f: Figures) => number, decimals: number): Metric => ({
    key,
    label,
    mpsh: pick(mpsh),
    stock: pick(stock),
    decimals,
  });
  const metrics = [
    m('server_rx_mpps', 'server RX, 1 client (Mpps)', (f) => f.tput.serverRxMpps, 1),
    m('client_tx_mpps', 'client TX, 1 client (Mpps)', (f) => f.tput.clientTxMpps, 1),
    m('dead_client_drop_share_pct', 'dropped for killed client 1 (% of server RX)', (f) => f.kill.dropSharePct, 2),
    m('dead_client_drops', 'dropped for killed client 1 (packets)', (f) => f.kill.client1Drops, 0),
    m('kills_frozen', `survivor frozen, in ${KILLS} kills of client 1 (count)`, (f) => f.kills.frozen, 0),
  ];
  // How long client 1 kept getting its round-robin half of the server's RX before mpsh skipped it.
  const mpshDetectMs = (mpsh.kill.client1Drops / ((mpsh.kill.serverRxMpps * 1e6) / 2)) * 1e3;
  const both = (pick: (f: Figures) => number, d: number) => `mpsh ${pick(mpsh).toFixed(d)}, stock ${pick(stock).toFixed(d)}`;
  const notes = [
    `all runs: 2 net_null ports, -p ${PORT_MASK}; server --lcores=${SERVER_LCORES} ${SERVER_EAL.join(' ')}, client i --lcores=${clientLcores(0)} / ${clientLcores(1)} ${CLIENT_EAL.join(' ')}; same options for both; a fresh file prefix per run`,
    `throughput: -n 1; port RX summed over ports and client TX (port_info), read through an mpsh monitor shell (stats --json) ${SETTLE_MS / 1000} s after all were ready and again after ${THROUGHPUT_WINDOW_MS / 1000} s (windows: ${both((f) => f.tput.seconds, 2)} s); ${THROUGHPUT_ROUNDS} rounds, mpsh first then stock first in turn; the table has each program's median`,
    `throughput, mpsh/stock per round: ${ratios}`,
    `dead client: -n 2, both clients on CPU 1; client 1 SIGKILLed ~${BEFORE_KILL_MS / 1000} s after all were ready; window from the reading just before the kill to one ${AFTER_KILL_MS / 1000} s later (stock: its stats screens, the one before the kill to the ${AFTER_KILL_SCREENS}rd after; mpsh: the monitor shell): windows ${both((f) => f.kill.seconds, 2)} s`,
    `dead client, in the window: server RX ${both((f) => f.kill.serverRxMpps, 1)} Mpps; client 0 TX ${both((f) => f.kill.client0TxMpps, 1)} Mpps; all clients' rx_drop ${both((f) => f.kill.allDropSharePct, 1)}% of server RX (net_null offers more than a client forwards: a live client drops too)`,
    `dead client: mpsh's drops for client 1 come to ${mpshDetectMs.toFixed(1)} ms of its round-robin half of the server RX (reading to kill, process exit and reaping, the server's 10 ms liveness check)`,
    `monitor shell (attached in every run, idle but for 2 readings): CPU ${both((f) => f.tput.shellCpuPct, 1)}% of a core in the throughput window`,
    `1-minute load average at the start: ${loadAvg.toFixed(2)} (${os.availableParallelism()} CPUs; the rates move with other load)`,
  ];
  for (const [name, f] of [
    ['mpsh', mpsh],
    ['stock', stock],
  ] as const) {
    if (f.kill.client0TxMpps < STALLED_MPPS) {
      notes.push(
        `${name}: client 0 forwarded (almost) nothing after client 1's SIGKILL. Seen by hand (gdb) with both programs: a client so stalled spins in net_null TX -> mempool put, an rte_ring enqueue waiting for a slot the killed client had reserved and never released; likely when the two clients share a CPU (the victim is often preempted inside that enqueue). A hazard of SIGKILLing a DPDK process that shares the mempool, not of either program; the drop share for client 1 does not depend on it`,
      );
    }
  }
  notes.push(
    `repeated kills: -n 2, client 1 SIGKILLed, client 0's TX over ${0.4} s after each kill (frozen below 0.1 Mpps), client 1 started again; a frozen group is replaced by a fresh one for the remaining kills: ${both((f) => f.kills.kills, 0)} kills in ${both((f) => f.kills.groups, 0)} groups, lowest survivor TX ${both((f) => f.kills.minSurvivorMpps, 1)} Mpps`,
  );
  for (const [name, f] of [
    ['mpsh', mpsh],
    ['stock', stock],
  ] as const)
    for (const a of f.kills.anomalies) notes.push(`${name} repeated kills: ${a}`);
  if (mpsh.kill.skipped === false) notes.push('mpsh ANOMALY: the server did not mark the killed client 1 as skipped by the end of the window');
  for (const [name, f] of [
    ['mpsh', mpsh],
    ['stock', stock],
  ] as const) {
    for (const a of f.tput.anomalies) notes.push(`${name} throughput run: ${a}`);
    for (const a of f.kill.anomalies) notes.push(`${name} dead-client run: ${a}`);
  }
  return {
    name: 'client_server_mp',
    title: `client_server_mp: mpsh server/client vs stock mp_server/mp_client (${os.availableParallelism()} CPUs, one run; throughput: medians of ${THROUGHPUT_ROUNDS} alternated rounds)`,
    metrics,
    notes,
  };
}

/** Both programs, phase by phase: the stock build lives only as long as this. */
async function measureAll(loadAvg: number): Promise<BenchResult> {
  log('building stock mp_server and mp_client in a temporary directory');
  const build = buildStock(['client_server_mp/mp_server', 'client_server_mp/mp_client']);
  try {
    const programs = [mpshProgram, stockProgram(build.binary('client_server_mp/mp_server'), build.binary('client_server_mp/mp_client'))];
    const rounds: ThroughputFigures[][] = [[], []];
    for (let r = 0; r < THROUGHPUT_ROUNDS; r++) {
      for (const i of r % 2 === 0 ? [0, 1] : [1, 0]) {
        checkInterrupted();
        log(`${programs[i]!.name}: throughput, 1 client (round ${r + 1} of ${THROUGHPUT_ROUNDS})`);
        rounds[i]!.push(await throughput(programs[i]!));
      }
    }
    const tput = rounds.map(medianOf);
    const kill: KillFigures[] = [];
    for (const p of programs) {
      checkInterrupted();
      log(`${p.name}: 2 clients, client 1 killed`);
      kill.push(await deadClient(p));
    }
    const kills: KillSeries[] = [];
    for (const p of programs) {
      checkInterrupted();
      kills.push(await repeatedKills(p));
    }
    checkInterrupted();
    return toResult(
      { tput: tput[0]!, kill: kill[0]!, kills: kills[0]! },
      { tput: tput[1]!, kill: kill[1]!, kills: kills[1]! },
      loadAvg,
      roundRatios(rounds[0]!, rounds[1]!),
    );
  } finally {
    build.dispose();
  }
}

export const clientServerBenchmark: Benchmark = {
  name: 'client_server_mp',
  async run(): Promise<BenchResult> {
    if (os.availableParallelism() < 2) throw new Error('needs at least 2 CPUs (server on CPU 0, clients on CPU 1)');
    const loadAvg = os.loadavg()[0];
    const unwatch = watchInterrupts();
    try {
      return await measureAll(loadAvg);
    } finally {
      unwatch();
    }
  },
};
