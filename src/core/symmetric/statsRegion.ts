/**
 * MPSH_SYM_STATS: one cache-aligned slot per symmetric process (indexed by
 * proc-id) in a shared memzone. The worker writes its own slot (identity
 * from JS, counters from its C++ loop); any process of the prefix reads all
 * of them through a zero-copy view, so a second shell sees the same numbers.
 */
import { lookupOrReserve } from '../memzones.js';
import { native, type Memzone, type SymStatsLayout } from '../native.js';
import { decodeIdleReport, type IdleReport } from '../idlePolicy.js';

export type SlotState = 'empty' | 'starting' | 'running' | 'stopped';
const STATES: SlotState[] = ['empty', 'starting', 'running', 'stopped'];
export const ROLE_SYMMETRIC = 1;

export interface PortCounters {
  port: number;
  rx: bigint;
  tx: bigint;
  drop: bigint;
}

export interface SymSlot {
  procId: number;
  numProcs: number;
  pid: number;
  state: SlotState;
  lcore: number;
  /** Wall-clock ms when the process claimed the slot. */
  startedMs: number;
  /** CLOCK_MONOTONIC ns of the loop's last sign of life. */
  heartbeatNs: bigint;
  idle: boolean;
  /** The loop's idle policy, once it started. */
  idlePolicy?: IdleReport;
  ports: PortCounters[];
}

export class SymStatsRegion {
  private readonly view: DataView;
  private readonly u64: BigUint64Array;

  private constructor(
    readonly zone: Memzone,
    private readonly layout: SymStatsLayout,
  ) {
    const buf = zone.buffer();
    this.view = new DataView(buf);
    this.u64 = new BigUint64Array(buf, 0, Math.floor(layout.size / 8));
    const magic = this.view.getUint32(0, true);
    if (magic !== layout.magic || this.view.getUint32(4, true) !== layout.version) {
      throw new Error(`${layout.zone} in this prefix has another layout (magic ${magic.toString(16)}): is another mpsh version running?`);
    }
  }

  static layout(): SymStatsLayout {
    return native().statsLayout().symmetric;
  }

  static lookup(): SymStatsRegion | null {
    const layout = SymStatsRegion.layout();
    const zone = native().Memzone.lookup(layout.zone);
    return zone ? new SymStatsRegion(zone, layout) : null;
  }

  /** Looks the region up, or reserves and stamps it (whichever process is first). */
  static open(): SymStatsRegion {
    const layout = SymStatsRegion.layout();
    const zone = lookupOrReserve(layout.zone, layout.size, (z) => {
      const v = new DataView(z.buffer());
      v.setUint32(8, layout.maxProcs, true);
      v.setUint32(12, layout.maxPorts, true);
      v.setUint32(4, layout.version, true);
      v.setUint32(0, layout.magic, true); // last: readers check it
    });
    return new SymStatsRegion(zone, layout);
  }

  get maxProcs(): number {
    return this.layout.maxProcs;
  }

  private base(procId: number): number {
    if (!Number.isInteger(procId) || procId < 0 || procId >= this.layout.maxProcs) {
      throw new RangeError(`proc-id ${procId} is outside 0..${this.layout.maxProcs - 1}`);
    }
    return this.layout.slotsOffset + procId * this.layout.slotSize;
  }

  /** Takes slot `procId` for this process: identity written, counters zeroed. */
  claim(procId: number, numProcs: number, lcore: number, ports: number[]): void {
    const b = this.base(procId);
    const s = this.layout.slot;
    this.view.setUint32(b + s.state, STATES.indexOf('starting'), true);
    for (let i = 0; i < this.layout.maxPorts * 3; i++) this.u64[(b + s.ports) / 8 + i] = 0n;
    this.view.setUint32(b + s.pid, process.pid, true);
    this.view.setUint32(b + s.procId, procId, true);
    this.view.setUint32(b + s.numProcs, numProcs, true);
    this.view.setUint32(b + s.role, ROLE_SYMMETRIC, true);
    this.view.setUint32(b + s.lcore, lcore, true);
    this.view.setBigUint64(b + s.startedNs, BigInt(Date.now()) * 1_000_000n, true);
    this.view.setBigUint64(b + s.heartbeatNs, process.hrtime.bigint(), true);
    this.view.setBigUint64(b + s.idle, 0n, true);
    this.view.setBigUint64(b + s.idlePolicy, 0n, true);
    this.view.setBigUint64(b + s.portMask, ports.reduce((m, p) => m | (1n << BigInt(p)), 0n), true);
  }

  setState(procId: number, state: SlotState): void {
    this.view.setUint32(this.base(procId) + this.layout.slot.state, STATES.indexOf(state), true);
  }

  /** The slot of `procId`, or null while it was never claimed. */
  slot(procId: number): SymSlot | null {
    const b = this.base(procId);
    const s = this.layout.slot;
    const state = STATES[this.view.getUint32(b + s.state, true)] ?? 'empty';
    if (state === 'empty') return null;
    const mask = this.view.getBigUint64(b + s.portMask, true);
    const ports: PortCounters[] = [];
    for (let p = 0; p < this.layout.maxPorts; p++) {
      if (!(mask & (1n << BigInt(p)))) continue;
      const i = (b + s.ports + p * s.portSize) / 8;
      ports.push({ port: p, rx: this.u64[i]!, tx: this.u64[i + 1]!, drop: this.u64[i + 2]! });
    }
    return {
      procId,
      numProcs: this.view.getUint32(b + s.numProcs, true),
      pid: this.view.getUint32(b + s.pid, true),
      state,
      lcore: this.view.getUint32(b + s.lcore, true),
      startedMs: Number(this.view.getBigUint64(b + s.startedNs, true) / 1_000_000n),
      heartbeatNs: this.view.getBigUint64(b + s.heartbeatNs, true),
      idle: this.view.getBigUint64(b + s.idle, true) !== 0n,
      idlePolicy: decodeIdleReport(this.view.getBigUint64(b + s.idlePolicy, true)),
      ports,
    };
  }

  /** Every slot ever claimed in this prefix. */
  slots(): SymSlot[] {
    const out: SymSlot[] = [];
    for (let i = 0; i < this.layout.maxProcs; i++) {
      const s = this.slot(i);
      if (s) out.push(s);
    }
    return out;
  }
}

/** A running loop refreshes its heartbeat at least every few ms (busy or idle); this much silence means it hangs (native kStalledAfterMs). */
let stalledNs: bigint | undefined;
const stalledAfterNs = (): bigint => (stalledNs ??= BigInt(native().statsLayout().stalledAfterMs) * 1_000_000n);

/**
 * "stalled" for a process that says it is running, is alive, and whose loop
 * has not shown a sign of life for a while (stuck inside DPDK, e.g. in a
 * pool another process died in the middle of); otherwise `state` as given.
 */
export function withHeartbeat(state: string, heartbeatNs: bigint): string {
  return state === 'running' && process.hrtime.bigint() - heartbeatNs > stalledAfterNs() ? 'stalled' : state;
}
