/**
 * `mpsh symmetric`: a drop-in for dpdk-symmetric_mp. Same arguments, same
 * pool, same port set-up; the forwarding loop is C++ on a DPDK lcore and its
 * 64-bit counters live in this process's slot of MPSH_SYM_STATS.
 */
import os from 'node:os';
import type { EalSession } from '../../dpdk/eal.js';
import { UsageError } from '../../util/errors.js';
import { native, type Mempool } from '../../dpdk/native.js';
import { pidAlive } from '../../os/pids.js';
import { setUpThroughInterface } from '../../ports/portInterface.js';
import { createMbufPool } from '../pools.js';
import { parsePortMask } from '../../ports/portMask.js';
import { requireQueueLimit, selectPorts } from '../../ports/ports.js';
import { runRole, say, type RoleProcess } from '../roleRunner.js';
import { parseSymmetricArgs, type SymmetricArgs } from './args.js';
import { SymStatsRegion } from './statsRegion.js';

export const SYMMETRIC = {
  poolSize: 64 * 1024,
  poolCache: 256,
} as const;

const SIGNAL_NUMBERS: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

/** The forwarding lcore of proc-id n runs on CPU n mod #CPUs, so N workers spread over the machine. */
export function forwardingCpu(procId: number): string {
  return String(procId % os.availableParallelism());
}

/** The pool every symmetric process shares: the primary creates it. */
export function symmetricPool(create: boolean, prefix: string): Mempool {
  const { Mempool: Pool } = native();
  const name = SymStatsRegion.layout().pool;
  const found = Pool.lookup(name);
  if (found) return found;
  if (create) {
    return createMbufPool(
      name,
      SYMMETRIC.poolSize,
      SYMMETRIC.poolCache,
      'symmetric',
      `${SYMMETRIC.poolSize} mbufs, as stock's`,
      'reserve more hugepage memory (npm run setup), or raise or leave out -m, --socket-mem and --socket-limit',
    );
  }
  throw new UsageError(
    `no ${name} in file prefix '${prefix}': its primary is not a symmetric_mp primary (spawn symmetric from an mpsh shell, or start the primary first)`,
  );
}

/** How many queues the workers share: the primary sets it, a secondary must match the ports. */
function checkQueues(args: SymmetricArgs, ports: number[], processType: string): number {
  if (processType === 'primary') {
    const numProcs = args.numProcs;
    if (numProcs === undefined) throw new UsageError('missing --num-procs <n>: the primary configures one queue per process');
    requireQueueLimit(ports, numProcs, 'symmetric', (limit) => `--num-procs ${numProcs}: ${limit.why}`);
    return numProcs;
  }
  const configured = native().portQueues(ports[0]!).rxQueues;
  if (configured === 0) throw new UsageError(`port ${ports[0]} is not configured: the primary of this prefix did not set up symmetric queues`);
  if (args.numProcs !== undefined && args.numProcs !== configured) {
    throw new UsageError(
      `--num-procs ${args.numProcs} does not match the primary, which configured ${configured} queues per port: use --num-procs ${configured}`,
    );
  }
  if (args.procId >= configured) throw new UsageError(`--proc-id ${args.procId} is not below the ${configured} queues the primary configured`);
  return configured;
}

function workerRole(args: SymmetricArgs, eal: EalSession): RoleProcess {
  const { ports } = selectPorts({ mask: args.portMask, option: '-p', pairs: true });
  const primary = eal.processType === 'primary';
  const pool = symmetricPool(primary, eal.filePrefix);
  const numProcs = checkQueues(args, ports, eal.processType);
  const region = SymStatsRegion.open();
  const id = args.procId;
  return {
    held: region.slot(id),
    busy: (pid) => `proc-id ${id} is already forwarding in pid ${pid}: give another --proc-id`,
    prepare() {
      if (!primary) return;
      for (const p of ports) {
        say(`# Initialising port ${p}...`);
        for (const note of setUpThroughInterface(p, () => native().setupSymmetricPort(p, numProcs, pool))) say(`Port ${p}: ${note}`);
      }
    },
    claim: () => region.claim(id, numProcs, eal.workerLcores[0] ?? eal.mainLcore, ports),
    setState: (state) => region.setState(id, state),
    loop: () => new (native().SymmetricWorker)({ ports, queue: id, stats: region.zone, slot: id, idle: args.idle }),
    loopName: 'forwarding',
    othersRunning: () => region.slots().some((s) => s.procId !== id && s.state === 'running' && pidAlive(s.pid)),
    started: (lcores) => lcores.flatMap((l) => [`Lcore ${l} using ports ${ports.join(' ')} `, `lcore ${l} using queue ${id} of each port`]),
    // Stock's exit report: "Port <p>: RX - <n>, TX - <n>, Drop - <n>", from this process's own counters.
    report(signal) {
      let text = signal ? `\nExiting on signal ${SIGNAL_NUMBERS[signal] ?? signal}\n\n` : '\n';
      for (const p of region.slot(id)?.ports ?? []) text += `Port ${p.port}: RX - ${p.rx}, TX - ${p.tx}, Drop - ${p.drop}\n`;
      return text;
    },
  };
}

export async function runSymmetricWorker(userEal: string[], appArgs: string[]): Promise<void> {
  const args = parseSymmetricArgs(appArgs);
  // The mask is required, and checked before EAL starts.
  parsePortMask(args.portMask);
  await runRole({ userEal, forwardingCpu: forwardingCpu(args.procId), setup: (eal) => workerRole(args, eal) });
}
