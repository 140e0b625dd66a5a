/**
 * MPSH_SYM_STATS: one cache-aligned slot per symmetric process (indexed by
 * proc-id) in a shared memzone. The worker writes its own slot (identity
 * from JS, counters from its C++ loop); any process of the prefix reads all
 * of them through a zero-copy view, so a second shell sees the same numbers.
 * The slot header is processSlot.ts's; this class keeps the counters.
 */
import { native, type Memzone, type SymStatsLayout } from '../../dpdk/native.js';
import type { ChildState } from '../supervisor.js';
import { lookupRegion, openRegion, requireStamp, SlotHeaders, type SlotHeader, type SlotState } from '../processSlot.js';

export interface PortCounters {
  port: number;
  rx: bigint;
  tx: bigint;
  drop: bigint;
}

export interface SymSlot extends SlotHeader {
  procId: number;
  numProcs: number;
  lcore: number;
  ports: PortCounters[];
}

/** What the stats pipeline reads of the region (a fake in unit tests). */
export interface SymmetricReader {
  slots(): SymSlot[];
}

export class SymStatsRegion implements SymmetricReader {
  private readonly view: DataView;
  private readonly u64: BigUint64Array;
  private readonly headers: SlotHeaders;

  private constructor(
    readonly zone: Memzone,
    private readonly layout: SymStatsLayout,
  ) {
    const buf = zone.buffer();
    this.view = new DataView(buf);
    this.u64 = new BigUint64Array(buf, 0, Math.floor(layout.size / 8));
    requireStamp(this.view, layout);
    this.headers = new SlotHeaders(this.view);
  }

  static layout(): SymStatsLayout {
    return native().statsLayout().symmetric;
  }

  static lookup(): SymStatsRegion | null {
    const layout = SymStatsRegion.layout();
    const zone = lookupRegion(layout);
    return zone ? new SymStatsRegion(zone, layout) : null;
  }

  /** Looks the region up, or reserves and stamps it (whichever process is first). */
  static open(): SymStatsRegion {
    const layout = SymStatsRegion.layout();
    const zone = openRegion(layout, (v) => {
      v.setUint32(8, layout.maxProcs, true);
      v.setUint32(12, layout.maxPorts, true);
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

  /**
   * Takes slot `procId` for this process: identity written. Counters are per
   * proc-id and cumulative across restarts, like the client-server ones: a
   * restarted worker adds to what its predecessors counted, so every total
   * read from the region (by any process of the prefix) only grows.
   */
  claim(procId: number, numProcs: number, lcore: number, ports: number[]): void {
    const b = this.base(procId);
    const s = this.layout.slot;
    this.headers.setState(b, 'starting');
    this.view.setUint32(b + s.numProcs, numProcs, true);
    this.view.setUint32(b + s.lcore, lcore, true);
    this.view.setBigUint64(
      b + s.portMask,
      ports.reduce((m, p) => m | (1n << BigInt(p)), 0n),
      true,
    );
    this.headers.claim(b, 'symmetric', procId);
  }

  setState(procId: number, state: SlotState): void {
    this.headers.setState(this.base(procId), state);
  }

  /** How the process `pid` of slot `procId` ended, as its parent saw it. */
  recordExit(procId: number, pid: number, how: ChildState): void {
    this.headers.recordExit(this.base(procId), pid, how);
  }

  /** The slot of `procId`, or null while it was never claimed. */
  slot(procId: number): SymSlot | null {
    const b = this.base(procId);
    const head = this.headers.read(b);
    if (!head) return null;
    const s = this.layout.slot;
    const mask = this.view.getBigUint64(b + s.portMask, true);
    const ports: PortCounters[] = [];
    for (let p = 0; p < this.layout.maxPorts; p++) {
      if (!(mask & (1n << BigInt(p)))) continue;
      const i = (b + s.ports + p * s.portSize) / 8;
      ports.push({ port: p, rx: this.u64[i]!, tx: this.u64[i + 1]!, drop: this.u64[i + 2]! });
    }
    return { ...head, procId, numProcs: this.view.getUint32(b + s.numProcs, true), lcore: this.view.getUint32(b + s.lcore, true), ports };
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
