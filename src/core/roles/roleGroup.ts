/**
 * What the symmetric and client-server groups under a shell share: only the
 * primary spawns (it owns ports and pool), children are `mpsh <role>`
 * secondaries of the shell's prefix, and a restart stops a child (if it
 * runs) and starts it again from its spec.
 */
import type { EalSession } from '../dpdk/eal.js';
import { UsageError } from '../util/errors.js';
import { literal } from '../util/text.js';
import type { Role } from './processSlot.js';
import { READY_LINE } from './roleRunner.js';
import { isAlive, type ChildSpec, type ManagedChild, type Supervisor } from './supervisor.js';

/** A child is up once it prints the ready line. */
const ROLE_READY = literal(READY_LINE);

export abstract class RoleGroup {
  constructor(
    protected readonly supervisor: Supervisor,
    protected readonly eal: EalSession,
  ) {}

  /** Refuses a spawn from a secondary shell; `owns` says what the primary sets up. */
  protected requirePrimary(owns: string): void {
    if (this.eal.processType !== 'primary') {
      throw new UsageError(`spawn needs this shell to be the primary of prefix '${this.eal.filePrefix}' (it ${owns}); this one is a secondary`);
    }
  }

  /** A child `mpsh <role>` secondary of this shell's prefix. */
  protected childSpec(name: string, role: Role, appArgs: string[]): ChildSpec {
    return { name, role, args: [role, '--file-prefix', this.eal.filePrefix, '--proc-type=secondary', '--', ...appArgs], ready: ROLE_READY };
  }

  /** The shell's live children of `role`. */
  protected running(role: Role): ManagedChild[] {
    return this.supervisor.list().filter((c) => c.spec.role === role && isAlive(c));
  }

  /** Starts `name` again: from its own spec, or `fallback()` for a process this shell did not start. */
  protected async restartChild(name: string, fallback: () => ChildSpec): Promise<void> {
    const child = this.supervisor.get(name);
    const spec = child?.spec ?? fallback();
    if (child && isAlive(child)) await this.supervisor.stop(name);
    this.supervisor.start(spec);
    await this.supervisor.waitRunning(name);
  }
}
