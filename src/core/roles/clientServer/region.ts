/**
 * client_server_mp's shared memory as TypeScript sees it: the stock
 * `port_info` (MProc_port_info: ports, per-port rx, per-client tx/tx_drop)
 * and mpsh's MPSH_CS_STATS (liveness of server and clients, per-client
 * rx/rx_drop, which the stock server keeps private). Zero-copy views.
 */
import { native, type CsStatsLayout, type Memzone } from '../../dpdk/native.js';
import { lookupRegion, openRegion, SlotHeaders, stampValid, type SlotHeader, type SlotState } from '../processSlot.js';
import type { ChildState } from '../supervisor.js';

export function csLayout(): CsStatsLayout {
  return native().statsLayout().clientServer;
}

/** How many clients a group can have (kMaxClients, stock's MAX_CLIENTS). */
export const maxClients = (): number => csLayout().maxClients;

export function ringName(client: number): string {
  return `MProc_Client_${client}_RX`;
}

/**
 * A client's return ring: the mbufs it has sent go back to the server
 * through it instead of the shared pool's ring (native/src/kill_safety/cs_returns.h).
 */
export function returnRingName(client: number): string {
  return `MPSH_Client_${client}_RET`;
}

/** The server (`'server'`) or a client id. */
export type CsMember = 'server' | number;

export interface CsProcessView extends SlotHeader {
  /** Client: packets taken from its ring. */
  rx: bigint;
}

/** What the stats pipeline reads of MProc_port_info (a fake in unit tests). */
export interface PortInfoReader {
  readonly ports: number[];
  rx(index: number): bigint;
  tx(client: number, port: number): bigint;
  txDrop(client: number, port: number): bigint;
}

/** What the stats pipeline reads of MPSH_CS_STATS (a fake in unit tests). */
export interface CsReader {
  readonly valid: boolean;
  readonly numClients: number;
  process(who: CsMember): CsProcessView | null;
  clientRx(c: number): bigint;
  clientRxDrop(c: number): bigint;
  portRx(port: number): bigint;
  skipped(c: number): boolean;
  readonly noClientDrop: bigint;
}

export class PortInfoView implements PortInfoReader {
  private readonly v: DataView;
  constructor(
    readonly zone: Memzone,
    private readonly l = csLayout().portInfo,
  ) {
    this.v = new DataView(zone.buffer());
  }

  static lookup(): PortInfoView | null {
    const z = native().Memzone.lookup(csLayout().portInfo.zone);
    return z ? new PortInfoView(z) : null;
  }

  /** Reserves MProc_port_info and lists the ports, as the stock server's init does. */
  static create(ports: number[]): PortInfoView {
    const view = new PortInfoView(native().Memzone.reserve(csLayout().portInfo.zone, csLayout().portInfo.size));
    view.v.setUint16(view.l.numPorts, ports.length, true);
    ports.forEach((p, i) => view.v.setUint16(view.l.id + 2 * i, p, true));
    return view;
  }

  get ports(): number[] {
    const n = this.v.getUint16(this.l.numPorts, true);
    return Array.from({ length: n }, (_, i) => this.v.getUint16(this.l.id + 2 * i, true));
  }

  /** Server rx of the i-th listed port. */
  rx(index: number): bigint {
    return this.v.getBigUint64(this.l.rx + 8 * index, true);
  }

  tx(client: number, port: number): bigint {
    return this.v.getBigUint64(this.l.txStats + client * this.l.txStatsSize + 8 * port, true);
  }

  txDrop(client: number, port: number): bigint {
    return this.v.getBigUint64(this.l.txStats + client * this.l.txStatsSize + this.l.txDrop + 8 * port, true);
  }
}

export class CsRegion implements CsReader {
  private readonly v: DataView;
  private readonly headers: SlotHeaders;
  private constructor(
    readonly zone: Memzone,
    private readonly l: CsStatsLayout,
  ) {
    this.v = new DataView(zone.buffer());
    this.headers = new SlotHeaders(this.v);
  }

  static lookup(): CsRegion | null {
    const l = csLayout();
    const z = lookupRegion(l);
    return z ? new CsRegion(z, l) : null;
  }

  static open(): CsRegion {
    const l = csLayout();
    return new CsRegion(openRegion(l), l);
  }

  /** Stamped by whoever reserved it (a reservation racing with us may not be yet). */
  get valid(): boolean {
    return stampValid(this.v, this.l);
  }

  get numClients(): number {
    return this.v.getUint32(this.l.numClients, true);
  }

  get strict(): boolean {
    return this.v.getUint32(this.l.strict, true) === 1;
  }

  configure(numClients: number, strict: boolean): void {
    this.v.setUint32(this.l.numClients, numClients, true);
    this.v.setUint32(this.l.strict, strict ? 1 : 0, true);
  }

  private procBase(who: CsMember): number {
    return who === 'server' ? this.l.server : this.l.clients + who * this.l.process.size;
  }

  /**
   * Marks `who` as this process, starting. Counters are per client id and
   * cumulative across restarts, like the stock port_info's: a client's
   * rx (from the server) and tx + tx_drop (its own) keep adding up.
   */
  claim(who: CsMember): void {
    this.headers.claim(this.procBase(who), who === 'server' ? 'server' : 'client', who === 'server' ? 0 : who);
  }

  setState(who: CsMember, state: SlotState): void {
    this.headers.setState(this.procBase(who), state);
  }

  /** How the process `pid` of `who`'s slot ended, as its parent saw it. */
  recordExit(who: CsMember, pid: number, how: ChildState): void {
    this.headers.recordExit(this.procBase(who), pid, how);
  }

  process(who: CsMember): CsProcessView | null {
    const b = this.procBase(who);
    const head = this.headers.read(b);
    return head && { ...head, rx: this.v.getBigUint64(b + this.l.process.rx, true) };
  }

  clientRx(c: number): bigint {
    return this.v.getBigUint64(this.l.clientRx + 8 * c, true);
  }

  clientRxDrop(c: number): bigint {
    return this.v.getBigUint64(this.l.clientRxDrop + 8 * c, true);
  }

  portRx(port: number): bigint {
    return this.v.getBigUint64(this.l.portRx + 8 * port, true);
  }

  skipped(c: number): boolean {
    return ((this.v.getBigUint64(this.l.skipped, true) >> BigInt(c)) & 1n) === 1n;
  }

  /** Mbufs client `c` has handed back through its return ring. */
  returned(c: number): bigint {
    const r = this.l.returns;
    return this.v.getBigUint64(r.slots + c * r.slotSize + r.returned, true);
  }

  /** Mbufs client `c` found in its lcore cache at start and dropped (left by a process of unknown kind). */
  distrusted(c: number): bigint {
    const r = this.l.returns;
    return this.v.getBigUint64(r.slots + c * r.slotSize + r.distrusted, true);
  }

  /** Mbufs client `c` found in its lcore cache at start, left by a dead mpsh process, and kept (cache_reclaim.h). */
  reclaimed(c: number): bigint {
    const r = this.l.returns;
    return this.v.getBigUint64(r.slots + c * r.slotSize + r.reclaimed, true);
  }

  /** The same, found by starting servers. */
  get serverReclaimed(): bigint {
    return this.v.getBigUint64(this.l.returns.serverReclaimed, true);
  }

  /** Whether an mpsh server drains the return rings now. */
  get returnsOn(): boolean {
    return this.v.getUint32(this.l.returns.on, true) === 1;
  }

  get noClientDrop(): bigint {
    return this.v.getBigUint64(this.l.noClientDrop, true);
  }
}
