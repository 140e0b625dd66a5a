/**
 * What the shell's verbs do to the group: spawn, kill and restart by name,
 * for the shell's own children and for processes it only sees in the
 * shared slots (started by another shell, or left running by one that died).
 */
import type { EalSession } from './eal.js';
import { UsageError } from './errors.js';
import { emptyGroup, GroupSampler, type GroupStats } from './groupStats.js';
import { isAlive, STOP_TIMEOUT_MS, Supervisor } from './supervisor.js';
import { SymmetricGroup } from './symmetric/group.js';
import { pidAlive } from './symmetric/statsRegion.js';

const SIGNALS: Record<string, NodeJS.Signals> = { '9': 'SIGKILL', KILL: 'SIGKILL', '15': 'SIGTERM', TERM: 'SIGTERM', '2': 'SIGINT', INT: 'SIGINT' };

export function parseSignal(flag: string): NodeJS.Signals {
  const sig = SIGNALS[flag.replace(/^-/, '').replace(/^SIG/i, '').toUpperCase()];
  if (!sig) throw new UsageError(`unknown signal '${flag}': use -9 (KILL), -15 (TERM) or -2 (INT)`);
  return sig;
}

export class GroupControl {
  readonly supervisor = new Supervisor();
  readonly symmetric: SymmetricGroup;
  private readonly sampler: GroupSampler;
  private latest: GroupStats = emptyGroup;

  constructor(readonly eal: EalSession) {
    this.symmetric = new SymmetricGroup(this.supervisor, eal);
    this.sampler = new GroupSampler(this.supervisor);
  }

  /** Reads the shared counters; call periodically (rates need two samples). */
  sample(): GroupStats {
    this.latest = this.sampler.sample();
    return this.latest;
  }

  get group(): GroupStats {
    return this.latest;
  }

  /** Every process name known, for completion. */
  names(): string[] {
    return [...new Set([...this.supervisor.list().map((c) => c.spec.name), ...this.latest.processes.map((p) => p.name)])];
  }

  /** Stops `name`: gracefully (SIGTERM, then SIGKILL after a timeout) unless a signal is given. */
  async kill(name: string, signal?: NodeJS.Signals): Promise<string> {
    const child = this.supervisor.get(name);
    if (child && isAlive(child)) {
      if (signal) {
        this.supervisor.signal(name, signal);
        return `sent ${signal} to ${name} (pid ${child.pid})`;
      }
      await this.supervisor.stop(name);
      return `${name} stopped`;
    }
    const row = this.sample().processes.find((p) => p.name === name);
    if (!row) throw new UsageError(`no process named '${name}': ps lists them`);
    if (!pidAlive(row.pid) || row.state === 'stopped') throw new UsageError(`${name} is not running (${row.state})`);
    process.kill(row.pid, signal ?? 'SIGTERM');
    if (signal) return `sent ${signal} to ${name} (pid ${row.pid})`;
    const deadline = Date.now() + STOP_TIMEOUT_MS;
    while (pidAlive(row.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    if (pidAlive(row.pid)) process.kill(row.pid, 'SIGKILL');
    return `${name} stopped`;
  }

  async restart(name: string): Promise<string> {
    if (!/^sym\d+$/.test(name)) throw new UsageError(`no restartable process named '${name}': ps lists them`);
    const child = this.supervisor.get(name);
    if (!child) {
      const row = this.sample().processes.find((p) => p.name === name);
      if (row && pidAlive(row.pid) && row.state !== 'stopped') await this.kill(name);
    }
    await this.symmetric.restart(name);
    return `${name} restarted (pid ${this.supervisor.get(name)?.pid})`;
  }

  /** Stops every child gracefully; returns their names. */
  async stopChildren(): Promise<string[]> {
    return (await this.supervisor.stopAll()).map((c) => c.spec.name);
  }
}
