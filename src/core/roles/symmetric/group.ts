/**
 * Symmetric workers under a shell: the shell (as primary) owns the pool and
 * configures the ports for N queues, then runs N `mpsh symmetric`
 * secondaries, sym0 .. sym<N-1>, each polling its own queue of every port.
 */
import { UsageError } from '../../util/errors.js';
import { DEFAULT_IDLE, type IdleMode } from '../../dpdk/idlePolicy.js';
import { native } from '../../dpdk/native.js';
import { interfaceMoved, setUpThroughInterface } from '../../ports/portInterface.js';
import { maskOf } from '../../ports/portMask.js';
import { requireQueueLimit, selectPorts } from '../../ports/ports.js';
import { parseProcessName, symmetricName } from '../processNames.js';
import { requirePortsFree } from '../portOwners.js';
import { RoleGroup } from '../roleGroup.js';
import type { ChildSpec } from '../supervisor.js';
import { SymStatsRegion } from './statsRegion.js';
import { symmetricPool } from './worker.js';

export interface SpawnResult {
  names: string[];
  ports: number[];
  notes: string[];
}

export class SymmetricGroup extends RoleGroup {
  /** Ports this shell set up, and for how many queues. */
  private readonly setUp = new Map<number, number>();

  workerName(procId: number): string {
    return symmetricName(procId);
  }

  spec(procId: number, numProcs: number, ports: number[], idle: IdleMode = DEFAULT_IDLE): ChildSpec {
    return this.childSpec(this.workerName(procId), 'symmetric', [
      '-p',
      maskOf(ports),
      '--num-procs',
      String(numProcs),
      '--proc-id',
      String(procId),
      '--idle',
      idle,
    ]);
  }

  /**
   * Configures the ports for `n` queues and starts n workers; resolves when
   * all forward. Everything is checked first: `announce` runs only once the
   * request is known good, right before the ports are touched.
   */
  async spawn(n: number, portMask?: string, announce: () => void = () => {}, idle: IdleMode = DEFAULT_IDLE): Promise<SpawnResult> {
    this.requirePrimary('configures the ports');
    requirePortsFree('symmetric', 'spawn symmetric', this.supervisor);
    const busy = this.running('symmetric').map((c) => c.spec.name);
    if (busy.length > 0) throw new UsageError(`symmetric workers are running (${busy.join(', ')}): kill them first, then spawn again`);
    const region = SymStatsRegion.open();
    if (!Number.isInteger(n) || n < 1 || n > region.maxProcs) throw new UsageError(`the number of workers must be 1 .. ${region.maxProcs}`);
    const { ports, notes } = selectPorts({ mask: portMask, option: '--portmask', pairs: true });
    requireQueueLimit(ports, n, 'symmetric', (limit) => `${limit.why}: spawn at most ${limit.max} workers`);
    announce();
    const pool = symmetricPool(true, this.eal.filePrefix);
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
   * restarted from what its slot says, idle policy included.
   */
  async restart(name: string): Promise<void> {
    requirePortsFree('symmetric', `restart ${name}`, this.supervisor);
    await this.restartChild(name, () => {
      const named = parseProcessName(name);
      const procId = named?.role === 'symmetric' ? named.id : NaN;
      const slot = Number.isInteger(procId) ? SymStatsRegion.lookup()?.slot(procId) : null;
      if (!slot) throw new UsageError(`no symmetric worker named ${name}`);
      return this.spec(
        procId,
        slot.numProcs,
        slot.ports.map((p) => p.port),
        slot.idlePolicy?.mode,
      );
    });
  }
}
