/**
 * Symmetric workers under a shell: the shell (as primary) owns the pool and
 * configures the ports for N queues, then runs N `mpsh symmetric`
 * secondaries, sym0 .. sym<N-1>, each polling its own queue of every port.
 */
import { mbufPoolOps } from '../pools.js';
import type { EalSession } from '../eal.js';
import { UsageError } from '../errors.js';
import { native } from '../native.js';
import { maskOf, parsePortMask, portsFromMask } from '../portMask.js';
import { isAlive, type ChildSpec, type Supervisor } from '../supervisor.js';
import { SymStatsRegion } from './statsRegion.js';
import { DEFAULT_IDLE, type IdleMode } from '../idlePolicy.js';
import { sharedQueueLimit } from '../portLimits.js';
import { interfaceMoved, setUpThroughInterface } from '../portInterface.js';
import { SYMMETRIC } from './worker.js';

export const SYM_READY = /Finished Process Init/;

export interface SpawnResult {
  names: string[];
  ports: number[];
  notes: string[];
}

export class SymmetricGroup {
  /** Ports this shell set up, and for how many queues. */
  private readonly setUp = new Map<number, number>();

  constructor(
    private readonly supervisor: Supervisor,
    private readonly eal: EalSession,
  ) {}

  workerName(procId: number): string {
    return `sym${procId}`;
  }

  private running(): string[] {
    return this.supervisor
      .list()
      .filter((c) => c.spec.role === 'symmetric' && isAlive(c))
      .map((c) => c.spec.name);
  }

  spec(procId: number, numProcs: number, ports: number[], idle: IdleMode = DEFAULT_IDLE): ChildSpec {
    return {
      name: this.workerName(procId),
      role: 'symmetric',
      args: [
        'symmetric', '--file-prefix', this.eal.filePrefix, '--proc-type=secondary',
        '--', '-p', maskOf(ports), '--num-procs', String(numProcs), '--proc-id', String(procId), '--idle', idle,
      ],
      ready: SYM_READY,
    };
  }

  /**
   * Configures the ports for `n` queues and starts n workers; resolves when
   * all forward. Everything is checked first: `announce` runs only once the
   * request is known good, right before the ports are touched.
   */
  async spawn(n: number, portMask?: string, announce: () => void = () => {}, idle: IdleMode = DEFAULT_IDLE): Promise<SpawnResult> {
    if (this.eal.processType !== 'primary') {
      throw new UsageError(`spawn needs this shell to be the primary of prefix '${this.eal.filePrefix}' (it configures the ports); this one is a secondary`);
    }
    const busy = this.running();
    if (busy.length > 0) throw new UsageError(`symmetric workers are running (${busy.join(', ')}): kill them first, then spawn again`);
    const region = SymStatsRegion.open();
    if (!Number.isInteger(n) || n < 1 || n > region.maxProcs) throw new UsageError(`the number of workers must be 1 .. ${region.maxProcs}`);
    const available = native().ethPorts().map((p) => p.port);
    let ports = portMask === undefined ? available : portsFromMask(parsePortMask(portMask, '--portmask'), available);
    const notes: string[] = [];
    if (portMask === undefined && ports.length % 2 === 1) {
      notes.push(`port ${ports.at(-1)} has no pair and is left out`);
      ports = ports.slice(0, -1);
    }
    if (ports.length === 0) throw new UsageError('no ports to forward between: start the shell with --vdev ports (at least two)');
    if (ports.length % 2 === 1) throw new UsageError(`--portmask ${portMask} selects ${ports.length} port${ports.length === 1 ? '' : 's'}: forwarding pairs ports, so give an even number`);
    for (const p of ports) {
      const limit = sharedQueueLimit(p, 'symmetric');
      if (n > limit.max) throw new UsageError(`${limit.why}: spawn at most ${limit.max} workers`);
    }
    announce();
    const { Mempool } = native();
    const pool = Mempool.lookup(SYMMETRIC.pool) ?? Mempool.createPktmbuf(SYMMETRIC.pool, SYMMETRIC.poolSize, SYMMETRIC.poolCache, mbufPoolOps('symmetric'));
    for (const p of ports) {
      // A tap port whose interface has moved cannot be set up again, but one
      // this shell already set up for n queues forwards as it is.
      if (this.setUp.get(p) === n && interfaceMoved(p)) {
        notes.push(`port ${p}: kept as set up for ${n} queue${n === 1 ? '' : 's'} (its interface is in another namespace)`);
        continue;
      }
      this.setUp.delete(p);
      for (const note of setUpThroughInterface(p, () => native().setupSymmetricPort(p, n, pool))) notes.push(`port ${p}: ${note}`);
      this.setUp.set(p, n);
    }
    const names: string[] = [];
    for (let i = 0; i < n; i++) names.push(this.supervisor.start(this.spec(i, n, ports, idle)).spec.name);
    await Promise.all(names.map((name) => this.supervisor.waitRunning(name)));
    return { names, ports, notes };
  }

  /**
   * Starts `name` again with the same proc-id while the others forward. A
   * worker this shell did not start (seen only in the shared slots) is
   * restarted from what its slot says.
   */
  async restart(name: string): Promise<void> {
    const child = this.supervisor.get(name);
    let spec = child?.spec;
    if (!spec) {
      const procId = Number(/^sym(\d+)$/.exec(name)?.[1]);
      const slot = Number.isInteger(procId) ? SymStatsRegion.lookup()?.slot(procId) : null;
      if (!slot) throw new UsageError(`no symmetric worker named ${name}`);
      spec = this.spec(procId, slot.numProcs, slot.ports.map((p) => p.port), slot.idlePolicy?.mode);
    }
    if (child && isAlive(child)) await this.supervisor.stop(name);
    this.supervisor.start(spec);
    await this.supervisor.waitRunning(name);
  }
}
