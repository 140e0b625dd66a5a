/**
 * The group as the screen and `ps`/`stats` show it: every process of the
 * prefix that mpsh knows of (the shell's children, and whatever has a slot
 * in the shared counter regions, started by this shell or not), with their
 * counters and rates. The regions are read through injected readers, so
 * the sampler runs on fakes in unit tests.
 */
import { liveNow, type Liveness } from '../../roles/liveness.js';
import { describeState, isAlive, type ChildLookup, type ManagedChild } from '../../roles/supervisor.js';
import type { SymmetricReader } from '../../roles/symmetric/statsRegion.js';
import { clientServerRows, type ClientServerView } from './clientServerRows.js';
import { groupDrops } from './groupDrops.js';
import { rowRates } from './history.js';
import { Rates } from './rates.js';
import { symmetricRows } from './symmetricRows.js';
import type { GroupStats, PortRow, ProcessRow, RateFn } from './types.js';
import type { AppView } from '../app/types.js';

/** Where the sampler finds the regions; each is asked again until it exists. */
export interface RegionReaders {
  symmetric(): SymmetricReader | null;
  clientServer(): ClientServerView | null;
  /** Any app's ports, objects and processes (absent: not read); `exclude` are the pids of the rows above. */
  app?(rate: RateFn, exclude: ReadonlySet<number>): AppView | null;
}

export class GroupSampler {
  private readonly rates = new Rates();

  constructor(
    private readonly children: ChildLookup | null,
    private readonly readers: RegionReaders,
  ) {}

  sample(now = Date.now(), l: Liveness = liveNow()): GroupStats {
    const rate = this.rates.begin(now);
    const rows: ProcessRow[] = [
      ...symmetricRows(this.readers.symmetric(), this.children, now, rate, l),
      ...clientServerRows(this.readers.clientServer(), this.children, now, rate, l),
    ];
    const seen = new Set(rows.map((r) => r.name));
    for (const c of this.children?.list() ?? []) {
      if (seen.has(c.spec.name)) continue;
      rows.push({ name: c.spec.name, role: c.spec.role, pid: c.pid, state: describeState(c.state), uptimeMs: uptime(c, now), ports: [] });
    }
    // The loop's flag says it slept at its last empty poll; a row that moved packets since the last sample was not idle.
    for (const r of rows) {
      const moved = rowRates(r);
      if (r.idle && (moved.rx > 0 || moved.tx > 0)) r.idle = false;
    }
    rows.sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
    const own = new Set([...rows.map((r) => r.pid), ...(this.children?.list() ?? []).map((c) => c.pid)]);
    const app = this.readers.app?.(rate, own) ?? undefined;
    const ratesPending = this.rates.end();
    return { at: now, ratesPending, processes: rows, ports: totals(rows), drops: groupDrops(rows), ...(app ? { app } : {}) };
  }
}

function uptime(c: ManagedChild, now: number): number {
  return isAlive(c) ? now - c.startedAt : 0;
}

function totals(rows: ProcessRow[]): PortRow[] {
  const byPort = new Map<number, PortRow>();
  for (const r of rows) {
    for (const p of r.ports) {
      const t = byPort.get(p.port) ?? { port: p.port, rx: 0, tx: 0, drop: 0, rxPps: 0, txPps: 0 };
      t.rx += p.rx;
      t.tx += p.tx;
      t.drop += p.drop;
      t.rxPps += p.rxPps;
      t.txPps += p.txPps;
      byPort.set(p.port, t);
    }
  }
  return [...byPort.values()].sort((a, b) => a.port - b.port);
}
