/**
 * The group as the screen and `ps`/`stats` show it: every process of the
 * prefix that mpsh knows of (the shell's children, and whatever has a slot
 * in the shared counter regions, started by this shell or not), with their
 * counters and rates. Rates come from the difference between two samples.
 */
import type { IdleReport } from './idlePolicy.js';
import { describeState, isAlive, type ManagedChild, type Supervisor } from './supervisor.js';
import { ClientServerSampler } from './clientServer/sampler.js';
import { pidAlive } from './pids.js';
import { SymStatsRegion, withHeartbeat, type SymSlot } from './symmetric/statsRegion.js';

export interface PortRow {
  port: number;
  rx: number;
  tx: number;
  drop: number;
  rxPps: number;
  txPps: number;
}

export interface ClientCounters {
  id: number;
  /** Packets the server put in its ring. */
  rx: number;
  /** Packets the server dropped because its ring was full. */
  rxDrop: number;
  tx: number;
  txDrop: number;
  rxPps: number;
  txPps: number;
  /** The server currently skips it (liveness-aware distribution). */
  skipped: boolean;
}

export interface ProcessRow {
  name: string;
  role: string;
  pid: number;
  state: string;
  uptimeMs: number;
  /** For symmetric workers. */
  procId?: number;
  /** The forwarding loop is backing off for lack of packets. */
  idle?: boolean;
  /** The loop's idle policy (mpsh processes, once their loop started). */
  idlePolicy?: IdleReport;
  /** Symmetric workers and clients: their own per-port counters; the server: its per-port rx. */
  ports: PortRow[];
  client?: ClientCounters;
  /** Server: packets dropped because no client was alive. */
  noClientDrop?: number;
}

export interface GroupStats {
  at: number;
  /**
   * Some rate is not known yet (shown as 0): a counter had no earlier sample
   * to compare with, e.g. the first sample, or a process that just started.
   */
  ratesPending?: boolean;
  processes: ProcessRow[];
  /** Per port, summed over every process. */
  ports: PortRow[];
}

export const emptyGroup: GroupStats = { at: 0, processes: [], ports: [] };

interface Sample {
  at: number;
  values: Map<string, number>;
  rates: Map<string, number>;
  pending: boolean;
}

/** Rates over less than this are noise; an earlier rate is reused instead. */
export const MIN_RATE_INTERVAL_MS = 200;

/** Rate of change of a counter between two samples (set up by GroupSampler.sample). */
export type RateFn = (key: string, value: number) => number;

export class GroupSampler {
  private sym: SymStatsRegion | null = null;
  private readonly cs = new ClientServerSampler();
  private prev: Sample = { at: 0, values: new Map(), rates: new Map(), pending: true };

  constructor(private readonly supervisor: Supervisor | null) {}

  sample(now = Date.now()): GroupStats {
    this.sym ??= SymStatsRegion.lookup();
    const values = new Map<string, number>();
    const rates = new Map<string, number>();
    const fresh = now - this.prev.at >= MIN_RATE_INTERVAL_MS;
    const dt = (now - this.prev.at) / 1000;
    let pending = fresh ? false : this.prev.pending;
    const rate = (key: string, v: number) => {
      values.set(key, v);
      const before = this.prev.values.get(key);
      if (fresh && (!this.prev.at || before === undefined)) pending = true;
      const r = !fresh ? (this.prev.rates.get(key) ?? 0) : this.prev.at && before !== undefined && v >= before ? (v - before) / dt : 0;
      rates.set(key, r);
      return r;
    };
    const rows: ProcessRow[] = [];
    const seen = new Set<string>();
    for (const slot of this.sym?.slots() ?? []) {
      const name = `sym${slot.procId}`;
      const child = this.supervisor?.get(name);
      // A slot left by an earlier process whose name a child now carries belongs to the child.
      if (child && child.pid !== slot.pid && isAlive(child)) continue;
      seen.add(name);
      rows.push(this.symRow(name, slot, child, now, rate));
    }
    for (const row of this.cs.rows(this.supervisor, now, rate)) {
      seen.add(row.name);
      rows.push(row);
    }
    for (const c of this.supervisor?.list() ?? []) {
      if (seen.has(c.spec.name)) continue;
      rows.push({ name: c.spec.name, role: c.spec.role, pid: c.pid, state: describeState(c.state), uptimeMs: uptime(c, now), ports: [] });
    }
    rows.sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
    if (fresh) this.prev = { at: now, values, rates, pending };
    return { at: now, ratesPending: pending, processes: rows, ports: totals(rows) };
  }

  private symRow(name: string, slot: SymSlot, child: ManagedChild | undefined, now: number, rate: (k: string, v: number) => number): ProcessRow {
    const key = `${name}:${slot.pid}`;
    const ports = slot.ports.map((p) => {
      const rx = Number(p.rx);
      const tx = Number(p.tx);
      return { port: p.port, rx, tx, drop: Number(p.drop), rxPps: rate(`${key}:${p.port}:rx`, rx), txPps: rate(`${key}:${p.port}:tx`, tx) };
    });
    const state = withHeartbeat(child && child.pid === slot.pid ? describeState(child.state) : slotState(slot), slot.heartbeatNs);
    const running = state === 'running';
    return {
      name,
      role: 'symmetric',
      pid: slot.pid,
      state,
      uptimeMs: running || state === 'starting' ? now - slot.startedMs : 0,
      procId: slot.procId,
      idle: running && slot.idle,
      idlePolicy: running ? slot.idlePolicy : undefined,
      ports,
    };
  }
}

function slotState(slot: SymSlot): string {
  if (slot.state === 'stopped') return 'stopped';
  return pidAlive(slot.pid) ? slot.state : 'dead';
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

/** The documented `stats --json` shape. */
export function statsJson(g: GroupStats): string {
  const port = (p: PortRow) => ({ port: p.port, rx: p.rx, tx: p.tx, drop: p.drop, rx_pps: Math.round(p.rxPps), tx_pps: Math.round(p.txPps) });
  const perRole = (r: ProcessRow) => {
    if (r.role === 'server') return { ports: r.ports.map((p) => ({ port: p.port, rx: p.rx, rx_pps: Math.round(p.rxPps) })), no_client_drop: r.noClientDrop ?? 0 };
    if (r.client) {
      const c = r.client;
      return {
        client: c.id,
        rx: c.rx,
        rx_drop: c.rxDrop,
        tx: c.tx,
        tx_drop: c.txDrop,
        rx_pps: Math.round(c.rxPps),
        tx_pps: Math.round(c.txPps),
        skipped: c.skipped,
        ports: r.ports.map((p) => ({ port: p.port, tx: p.tx, tx_drop: p.drop })),
      };
    }
    return { ports: r.ports.map(port) };
  };
  return JSON.stringify({
    processes: g.processes.map((r) => ({
      name: r.name,
      role: r.role,
      ...(r.procId !== undefined ? { proc_id: r.procId } : {}),
      pid: r.pid,
      state: r.state,
      uptime_s: Math.round(r.uptimeMs / 1000),
      ...(r.idle !== undefined ? { idle: r.idle } : {}),
      ...(r.idlePolicy ? { idle_policy: r.idlePolicy.mode, idle_wait: r.idlePolicy.waitsOn } : {}),
      ...perRole(r),
    })),
    ports: g.ports.map(port),
  });
}
