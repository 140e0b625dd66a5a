/**
 * Real traffic: Linux ping and iperf3 between two network namespaces whose
 * only link is one forwarder on two tap ports (harness/tap.ts sets the
 * topology up). For symmetric_mp (1 worker) and client_server_mp (1 server
 * + 1 client), mpsh under each idle policy against the stock samples:
 *   - ping RTT median and p99 (an echo every 50 ms: a low-rate flow, where
 *     a sleeping loop shows);
 *   - iperf3 TCP throughput;
 *   - CPU of each forwarding process with no traffic at all.
 * mpsh runs as a user would: a shell on the tap ports spawns the forwarder
 * (a secondary); stock runs as its README says. Stock is measured once per
 * role and compared with every policy. A plain C forwarder sleeping in
 * epoll_wait on the two tap fds (epollFloor.ts) is the floor row: the best
 * any sleeping program does on this machine.
 */
import os from 'node:os';
import { Proc, removePrefixFiles, sleep } from '../harness/proc.js';
import { TapPair } from '../harness/tap.js';
import { clockTicksPerSecond, cpuTicks } from './procstat.js';
import { percentile, type Benchmark, type BenchResult, type Metric } from './report.js';
import { buildStock } from '../harness/stock.js';
import { mpshArgv } from '../harness/repo.js';
import { buildEpollFloor, startEpollFloor } from './epollFloor.js';
import { READY_LINE } from '../src/core/roles/roleRunner.js';
import { literal } from '../src/core/util/text.js';

const PINGS = 200;
const PING_INTERVAL_S = 0.05;
const IPERF_S = 3;
const IDLE_WINDOW_MS = 3000;
const POLICIES = ['poll', 'interrupt', 'adaptive'] as const;
type Policy = (typeof POLICIES)[number];

const log = (msg: string) => process.stderr.write(`bench tap: ${msg}\n`);

interface Figures {
  rttMedianUs: number;
  rttP99Us: number;
  lost: number;
  gbps: number;
  /** Per forwarding process, % of one core with no traffic. */
  idleCpuPct: number[];
}

interface Setup {
  /** Pids of the forwarding processes (worker; server and client). */
  forwarders: number[];
  stop(): Promise<void>;
}

async function measure(tap: TapPair, setup: Setup): Promise<Figures> {
  await tap.moveIntoNamespaces();
  // Warm-up: the first echoes also fill caches and page in code.
  await tap.ping(10, 0.02);
  const ping = await tap.ping(PINGS, PING_INTERVAL_S);
  const rtts = ping.rtts.map((ms) => ms * 1000).sort((a, b) => a - b);
  const bps = await tap.iperf(IPERF_S);
  await sleep(1000);
  const before = setup.forwarders.map(cpuTicks);
  const t0 = Date.now();
  await sleep(IDLE_WINDOW_MS);
  const after = setup.forwarders.map(cpuTicks);
  const seconds = (Date.now() - t0) / 1000;
  const idleCpuPct = after.map((a, i) => ((a - before[i]!) / clockTicksPerSecond() / seconds) * 100);
  return { rttMedianUs: percentile(rtts, 50), rttP99Us: percentile(rtts, 99), lost: ping.sent - ping.received, gbps: bps / 1e9, idleCpuPct };
}

async function mpshShell(prefix: string, tap: TapPair): Promise<Proc> {
  const argv = mpshArgv(['--file-prefix', prefix, ...tap.vdevs(), '--', '--line']);
  const sh = new Proc('mpsh shell', argv.command, argv.args);
  await sh.waitFor(/simple_mp > /, 30_000);
  return sh;
}

const pidsIn = (out: string) => [...out.matchAll(/\(pid (\d+)\)/g)].map((m) => Number(m[1]));

async function mpshSymmetric(prefix: string, tap: TapPair, policy: Policy): Promise<Setup> {
  const sh = await mpshShell(prefix, tap);
  const out = await sh.command(`spawn symmetric 1 --idle ${policy}`, 30_000);
  const pids = pidsIn(out);
  if (pids.length !== 1) throw new Error(`spawn symmetric failed: ${out}`);
  return { forwarders: pids, stop: () => quitShell(sh) };
}

async function mpshClientServer(prefix: string, tap: TapPair, policy: Policy): Promise<Setup> {
  const sh = await mpshShell(prefix, tap);
  const out = await sh.command(`spawn server --clients 1 --start-clients --idle ${policy}`, 30_000);
  const pids = pidsIn(out);
  if (pids.length !== 2) throw new Error(`spawn server failed: ${out}`);
  return { forwarders: pids, stop: () => quitShell(sh) };
}

async function quitShell(sh: Proc): Promise<void> {
  sh.write('quit');
  try {
    await sh.waitExit(15_000);
  } catch {
    await sh.stop();
  }
}

function stockProc(name: string, bin: string, args: string[]): Proc {
  return new Proc(name, 'stdbuf', ['-oL', '-eL', bin, ...args]);
}

async function stockSymmetric(bin: string, prefix: string, tap: TapPair): Promise<Setup> {
  const p = stockProc('stock symmetric_mp', bin, [
    '--lcores=1@1',
    '--no-pci',
    '--file-prefix',
    prefix,
    ...tap.vdevs(),
    '--',
    '-p',
    '3',
    '--num-procs',
    '1',
    '--proc-id',
    '0',
  ]);
  await p.waitFor(literal(READY_LINE), 30_000, 'err');
  return { forwarders: [p.pid], stop: async () => void (await stopSigint(p)) };
}

async function stockClientServer(server: string, client: string, prefix: string, tap: TapPair): Promise<Setup> {
  const s = stockProc('stock mp_server', server, ['--lcores=1@1', '--no-pci', '--file-prefix', prefix, ...tap.vdevs(), '--', '-p', '3', '-n', '1']);
  await s.waitFor(literal(READY_LINE), 30_000, 'err');
  const c = stockProc('stock mp_client', client, ['--lcores=2@0', '--proc-type=secondary', '--file-prefix', prefix, '--', '-n', '0']);
  await c.waitFor(/handling packets/, 30_000);
  return {
    forwarders: [s.pid, c.pid],
    stop: async () => {
      await stopSigint(c);
      await stopSigint(s);
    },
  };
}

async function stopSigint(p: Proc): Promise<void> {
  p.signal('SIGINT');
  try {
    await p.waitExit(10_000);
  } catch {
    await p.stop();
  }
}

/** One run of one set-up on fresh ports and namespaces; everything removed afterwards. */
async function run(what: string, start: (prefix: string, tap: TapPair) => Promise<Setup>): Promise<Figures> {
  const prefix = `bench-tap-${process.pid}-${what.replace(/\W+/g, '-')}`;
  const tap = new TapPair();
  let setup: Setup | undefined;
  log(what);
  try {
    setup = await start(prefix, tap);
    return await measure(tap, setup);
  } finally {
    await setup?.stop().catch(() => {});
    tap.cleanup();
    removePrefixFiles(prefix);
  }
}

function metrics(role: string, key: string, policy: Policy, m: Figures, s: Figures, who: string[]): Metric[] {
  const out: Metric[] = [
    { key: `${key}_${policy}_rtt_p50_us`, label: `${role} --idle ${policy}: ping RTT median (µs)`, mpsh: m.rttMedianUs, stock: s.rttMedianUs, decimals: 0 },
    { key: `${key}_${policy}_rtt_p99_us`, label: `${role} --idle ${policy}: ping RTT p99 (µs)`, mpsh: m.rttP99Us, stock: s.rttP99Us, decimals: 0 },
    { key: `${key}_${policy}_iperf_gbps`, label: `${role} --idle ${policy}: iperf3 TCP (Gbit/s)`, mpsh: m.gbps, stock: s.gbps, decimals: 2 },
  ];
  who.forEach((w, i) =>
    out.push({
      key: `${key}_${policy}_idle_cpu_${w}_pct`,
      label: `${role} --idle ${policy}: idle CPU, ${w} (% of a core)`,
      mpsh: m.idleCpuPct[i]!,
      stock: s.idleCpuPct[i]!,
      decimals: 1,
    }),
  );
  return out;
}

/** The floor's rows: the plain epoll forwarder (epollFloor.ts) in the mpsh column, stock symmetric_mp beside it. */
function floorMetrics(f: Figures, s: Figures): Metric[] {
  const label = (what: string) => `floor: plain epoll forwarder (mpsh column) vs stock symmetric_mp: ${what}`;
  return [
    { key: 'floor_rtt_p50_us', label: label('ping RTT median (µs)'), mpsh: f.rttMedianUs, stock: s.rttMedianUs, decimals: 0 },
    { key: 'floor_rtt_p99_us', label: label('ping RTT p99 (µs)'), mpsh: f.rttP99Us, stock: s.rttP99Us, decimals: 0 },
    { key: 'floor_iperf_gbps', label: label('iperf3 TCP (Gbit/s)'), mpsh: f.gbps, stock: s.gbps, decimals: 2 },
  ];
}

export const tapBenchmark: Benchmark = {
  name: 'tap',
  async run(): Promise<BenchResult> {
    const stock = buildStock(['symmetric_mp', 'client_server_mp/mp_server', 'client_server_mp/mp_client'] as const);
    const floorBuild = buildEpollFloor();
    const all: Metric[] = [];
    const notes: string[] = [];
    try {
      const sym = await run('stock symmetric_mp', (p, t) => stockSymmetric(stock.binary('symmetric_mp'), p, t));
      const floor = await run('plain epoll forwarder', async (_p, t) => {
        const f = await startEpollFloor(floorBuild.binary, t);
        return { forwarders: [f.pid], stop: f.stop };
      });
      all.push(...floorMetrics(floor, sym));
      for (const policy of POLICIES) {
        const m = await run(`mpsh symmetric --idle ${policy}`, (p, t) => mpshSymmetric(p, t, policy));
        all.push(...metrics('symmetric', 'symmetric', policy, m, sym, ['worker']));
        if (m.lost) notes.push(`symmetric --idle ${policy}: ${m.lost} of ${PINGS} echoes unanswered`);
      }
      const cs = await run('stock client_server_mp', (p, t) =>
        stockClientServer(stock.binary('client_server_mp/mp_server'), stock.binary('client_server_mp/mp_client'), p, t),
      );
      for (const policy of POLICIES) {
        const m = await run(`mpsh client-server --idle ${policy}`, (p, t) => mpshClientServer(p, t, policy));
        all.push(...metrics('client-server', 'client_server', policy, m, cs, ['server', 'client']));
        if (m.lost) notes.push(`client-server --idle ${policy}: ${m.lost} of ${PINGS} echoes unanswered`);
      }
      if (sym.lost || cs.lost) notes.push(`stock: ${sym.lost} / ${cs.lost} echoes unanswered (symmetric / client-server)`);
    } finally {
      stock.dispose();
      floorBuild.dispose();
    }
    const load = os.loadavg()[0]!.toFixed(1);
    notes.push(
      `tap ports net_tap0/net_tap1 with their interfaces in two namespaces; ${PINGS} pings ${PING_INTERVAL_S * 1000} ms apart after 10 warm-up ones, iperf3 -t ${IPERF_S} TCP, idle CPU over ${IDLE_WINDOW_MS / 1000} s with no traffic; mpsh: a shell spawns 1 worker / 1 server + 1 client (secondaries), stock: symmetric_mp / mp_server + mp_client; ${os.availableParallelism()} CPUs shared with whatever else runs (1-min load ${load} at the end): latency figures move with that load`,
    );
    return { name: 'tap', title: 'real traffic through tap ports: ping, iperf3, idle CPU (each mpsh idle policy vs stock)', metrics: all, notes };
  },
};
