/**
 * `mpsh symmetric`: a drop-in for dpdk-symmetric_mp. Same arguments, same
 * pool, same port set-up; the forwarding loop is C++ on a DPDK lcore and its
 * 64-bit counters live in this process's slot of MPSH_SYM_STATS.
 */
import { mbufPoolOps } from '../pools.js';
import os from 'node:os';
import { startEal, stopEal } from '../eal.js';
import { allCpusSet } from '../ealOptions.js';
import { UsageError } from '../errors.js';
import { installSignalHandlers, onShutdown } from '../lifecycle.js';
import { native, type Mempool } from '../native.js';
import { parsePortMask, portsFromMask } from '../portMask.js';
import { parseSymmetricArgs, type SymmetricArgs } from './args.js';
import { pidAlive } from '../pids.js';
import { SymStatsRegion } from './statsRegion.js';
import { sharedQueueLimit } from '../portLimits.js';
import { setUpThroughInterface } from '../portInterface.js';

export const SYMMETRIC = {
  pool: 'SMP_MBUF_POOL',
  poolSize: 64 * 1024,
  poolCache: 256,
} as const;

const SIGNAL_NUMBERS: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

/** The forwarding lcore of proc-id n runs on CPU n mod #CPUs, so N workers spread over the machine. */
export function forwardingCpu(procId: number): string {
  return String(procId % os.availableParallelism());
}

function openPool(processType: string, prefix: string): Mempool {
  const { Mempool: Pool } = native();
  if (processType === 'primary') return Pool.createPktmbuf(SYMMETRIC.pool, SYMMETRIC.poolSize, SYMMETRIC.poolCache, mbufPoolOps('symmetric'));
  const pool = Pool.lookup(SYMMETRIC.pool);
  if (!pool) throw new UsageError(`no ${SYMMETRIC.pool} in file prefix '${prefix}': its primary is not a symmetric_mp primary (spawn symmetric from an mpsh shell, or start the primary first)`);
  return pool;
}

/** How many queues the workers share: the primary sets it, a secondary must match the ports. */
function checkQueues(args: SymmetricArgs, ports: number[], processType: string): number {
  const { portQueues } = native();
  if (processType === 'primary') {
    if (args.numProcs === undefined) throw new UsageError('missing --num-procs <n>: the primary configures one queue per process');
    for (const p of ports) {
      const limit = sharedQueueLimit(p, 'symmetric');
      if (args.numProcs > limit.max) throw new UsageError(`--num-procs ${args.numProcs}: ${limit.why}`);
    }
    return args.numProcs;
  }
  const configured = portQueues(ports[0]!).rxQueues;
  if (configured === 0) throw new UsageError(`port ${ports[0]} is not configured: the primary of this prefix did not set up symmetric queues`);
  if (args.numProcs !== undefined && args.numProcs !== configured) {
    throw new UsageError(`--num-procs ${args.numProcs} does not match the primary, which configured ${configured} queues per port: use --num-procs ${configured}`);
  }
  if (args.procId >= configured) throw new UsageError(`--proc-id ${args.procId} is not below the ${configured} queues the primary configured`);
  return configured;
}

export async function runSymmetricWorker(userEal: string[], appArgs: string[]): Promise<void> {
  const args = parseSymmetricArgs(appArgs);
  const mask = parsePortMask(args.portMask);
  let signal: NodeJS.Signals | undefined;
  installSignalHandlers({ onSignal: (s) => (signal = s), stdoutClosedEnds: false });

  const eal = startEal({
    userEal,
    lcoreCount: 2,
    cpuFor: (i) => (i === 0 ? allCpusSet() : forwardingCpu(args.procId)),
    defaultVdevs: ['net_null0', 'net_null1'],
  });
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const available = native().ethPorts().map((p) => p.port);
  if (available.length === 0) throw new UsageError('no Ethernet ports: give some with --vdev (e.g. --vdev=net_null0 --vdev=net_null1)');
  const ports = portsFromMask(mask, available);
  if (ports.length % 2 !== 0) throw new UsageError(`port mask 0x${mask.toString(16)} selects ${ports.length} port${ports.length === 1 ? '' : 's'}: forwarding pairs ports, so give an even number`);
  const pool = openPool(eal.processType, eal.filePrefix);
  const numProcs = checkQueues(args, ports, eal.processType);

  const region = SymStatsRegion.open();
  const held = region.slot(args.procId);
  if (held && held.pid !== process.pid && held.state !== 'stopped' && pidAlive(held.pid)) {
    throw new UsageError(`proc-id ${args.procId} is already forwarding in pid ${held.pid}: give another --proc-id`);
  }
  if (eal.processType === 'primary') {
    for (const p of ports) {
      say(`# Initialising port ${p}...`);
      for (const note of setUpThroughInterface(p, () => native().setupSymmetricPort(p, numProcs, pool))) say(`Port ${p}: ${note}`);
    }
  }

  region.claim(args.procId, numProcs, eal.workerLcores[0] ?? eal.mainLcore, ports);
  const { SymmetricWorker } = native();
  const worker = new SymmetricWorker({ ports, queue: args.procId, stats: region.zone, slot: args.procId, idle: args.idle });
  onShutdown('EAL', () => {
    // A primary leaving while other processes forward must not close their
    // ports: EAL cleanup in a primary removes the devices.
    const others = region.slots().filter((s) => s.procId !== args.procId && s.state === 'running' && pidAlive(s.pid));
    if (eal.processType === 'primary' && others.length > 0) return;
    stopEal();
  });
  onShutdown('forwarding', () => {
    worker.stop();
    region.setState(args.procId, 'stopped');
    printCounters(region, args.procId, signal);
  });
  const lcores = worker.start();
  for (const l of lcores) {
    say(`Lcore ${l} using ports ${ports.join(' ')} `);
    say(`lcore ${l} using queue ${args.procId} of each port`);
  }
  region.setState(args.procId, 'running');
  say('APP: Finished Process Init.');
  // Nothing else keeps the event loop alive: the loops run on lcores.
  setInterval(() => {}, 1 << 30);
}

/** Stock's exit report: "Port <p>: RX - <n>, TX - <n>, Drop - <n>", from this process's own counters. */
function printCounters(region: SymStatsRegion, procId: number, signal: NodeJS.Signals | undefined): void {
  const slot = region.slot(procId);
  let text = signal ? `\nExiting on signal ${SIGNAL_NUMBERS[signal] ?? signal}\n\n` : '\n';
  for (const p of slot?.ports ?? []) text += `Port ${p.port}: RX - ${p.rx}, TX - ${p.tx}, Drop - ${p.drop}\n`;
  process.stdout.write(text);
}
