/**
 * What the shell's verbs do to the group: spawn, kill and restart by name,
 * for the shell's own children and for processes it only sees in the
 * shared slots (started by another shell, or left running by one that died).
 */
import type { EalSession } from '../dpdk/eal.js';
import { UsageError } from '../util/errors.js';
import { liveReaders } from '../observe/stats/liveReaders.js';
import { detailLines } from '../observe/stats/detail.js';
import type { RateHistory } from '../observe/stats/history.js';
import { liveProbes } from '../observe/stats/liveProbes.js';
import { GroupSampler } from '../observe/stats/sampler.js';
import { emptyGroup, type GroupStats } from '../observe/stats/types.js';
import { isAlive, STOP_TIMEOUT_MS, Supervisor } from '../roles/supervisor.js';
import { ClientServerGroup } from '../roles/clientServer/group.js';
import { SymmetricGroup } from '../roles/symmetric/group.js';
import { pidAlive } from '../os/pids.js';
import { parseProcessName } from '../roles/processNames.js';
import { Captures } from '../observe/capture.js';
import { recordExit } from '../roles/exitRecord.js';

const SIGNALS: Record<string, NodeJS.Signals> = { '9': 'SIGKILL', KILL: 'SIGKILL', '15': 'SIGTERM', TERM: 'SIGTERM', '2': 'SIGINT', INT: 'SIGINT' };

export function parseSignal(flag: string): NodeJS.Signals {
  const sig = SIGNALS[flag.replace(/^-/, '').replace(/^SIG/i, '').toUpperCase()];
  if (!sig) throw new UsageError(`unknown signal '${flag}': use -9 (KILL), -15 (TERM) or -2 (INT)`);
  return sig;
}

export class GroupControl {
  readonly supervisor = new Supervisor();
  readonly symmetric: SymmetricGroup;
  readonly clientServer: ClientServerGroup;
  private readonly sampler: GroupSampler;
  readonly captures = new Captures();
  private latest: GroupStats = emptyGroup;
  private readonly probes = liveProbes();

  constructor(readonly eal: EalSession) {
    this.symmetric = new SymmetricGroup(this.supervisor, eal);
    this.clientServer = new ClientServerGroup(this.supervisor, eal);
    this.sampler = new GroupSampler(this.supervisor, liveReaders());
    // First listener: the slot says how a child ended before anyone samples it.
    this.supervisor.onChange((c, event) => {
      if (event === 'exit') recordExit(c);
    });
  }

  /** Reads the shared counters; call periodically (rates need two samples). */
  sample(): GroupStats {
    this.latest = this.sampler.sample();
    return this.latest;
  }

  get group(): GroupStats {
    return this.latest;
  }

  /** `show <name>` from the latest sample, /proc and shared memory. */
  detail(name: string, history: RateHistory): string[] {
    return detailLines(name, this.latest, history, this.probes);
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
      const stopped = await this.supervisor.stop(name);
      return stopped.state.kind === 'killed' && stopped.state.signal === 'SIGKILL' ? notInTime(name) : `${name} stopped`;
    }
    const row = this.sample().processes.find((p) => p.name === name);
    if (!row) throw new UsageError(`no process named '${name}': ps lists them`);
    if (!pidAlive(row.pid) || row.state === 'stopped') throw new UsageError(`${name} is not running (${row.state})`);
    process.kill(row.pid, signal ?? 'SIGTERM');
    if (signal) return `sent ${signal} to ${name} (pid ${row.pid})`;
    const deadline = Date.now() + STOP_TIMEOUT_MS;
    while (pidAlive(row.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    if (!pidAlive(row.pid)) return `${name} stopped`;
    process.kill(row.pid, 'SIGKILL');
    return notInTime(name);
  }

  async restart(name: string): Promise<string> {
    const named = parseProcessName(name);
    if (!named) throw new UsageError(`no restartable process named '${name}': ps lists them`);
    const child = this.supervisor.get(name);
    if (!child) {
      // Not ours: stop the one running under that name first (by its pid in the shared slots).
      const row = this.sample().processes.find((p) => p.name === name);
      if (row && row.pid > 0 && pidAlive(row.pid) && !['stopped', 'dead'].includes(row.state)) await this.kill(name);
    }
    if (named.role === 'symmetric') await this.symmetric.restart(name);
    else await this.clientServer.restart(name);
    return `${name} restarted (pid ${this.supervisor.get(name)?.pid})`;
  }

  /**
   * Every live process of the group, in stop order (a server before its
   * clients, so no ring refills behind a client that empties it on exit):
   * this shell's children, and with `all`, those it sees only in the shared
   * slots (restarted by another shell, or left by one that died).
   */
  liveProcesses(all: boolean): { name: string; role: string; own: boolean }[] {
    const own = this.supervisor.list().filter(isAlive);
    const ownPids = new Set(own.map((c) => c.pid));
    const found = own.map((c) => ({ name: c.spec.name, role: c.spec.role as string, own: true }));
    if (all) {
      for (const p of this.sample().processes) {
        if (ownPids.has(p.pid) || !pidAlive(p.pid) || ['stopped', 'dead'].includes(p.state)) continue;
        if (!found.some((f) => f.name === p.name)) found.push({ name: p.name, role: p.role, own: false });
      }
    }
    return [...found.filter((p) => p.role !== 'client'), ...found.filter((p) => p.role === 'client')];
  }

  /**
   * Stops the given processes gracefully, all but clients first; returns
   * their names. Another shell's processes are stopped by pid, as `kill` does.
   */
  async stopProcesses(procs: { name: string; role: string; own: boolean }[]): Promise<string[]> {
    const stop = (p: { name: string; own: boolean }) => (p.own ? this.supervisor.stop(p.name) : this.kill(p.name).catch(() => undefined));
    await Promise.all(procs.filter((p) => p.role !== 'client').map(stop));
    await Promise.all(procs.filter((p) => p.role === 'client').map(stop));
    this.clientServer.drainRings();
    return procs.map((p) => p.name);
  }

  /** Stops every child of this shell gracefully; returns their names. */
  async stopChildren(): Promise<string[]> {
    return this.stopProcesses(this.liveProcesses(false));
  }
}

const notInTime = (name: string) => `${name} did not stop within ${STOP_TIMEOUT_MS / 1000} s of SIGTERM: killed (SIGKILL)`;
