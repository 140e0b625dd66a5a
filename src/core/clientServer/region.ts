/**
 * client_server_mp's shared memory as TypeScript sees it: the stock
 * `port_info` (MProc_port_info: ports, per-port rx, per-client tx/tx_drop)
 * and mpsh's MPSH_CS_STATS (liveness of server and clients, per-client
 * rx/rx_drop, which the stock server keeps private). Zero-copy views.
 */
import { decodeIdleReport, type IdleReport } from '../idlePolicy.js';
import { lookupOrReserve } from '../memzones.js';
import { native, type CsStatsLayout, type Memzone } from '../native.js';
import type { SlotState } from '../symmetric/statsRegion.js';

const STATES: SlotState[] = ['empty', 'starting', 'running', 'stopped'];

export function csLayout(): CsStatsLayout {
  return native().statsLayout().clientServer;
}

export function ringName(client: number): string {
  return `MProc_Client_${client}_RX`;
}

/**
 * A client's return ring: the mbufs it has sent go back to the server
 * through it instead of the shared pool's ring (native/src/cs_returns.h).
 */
export function returnRingName(client: number): string {
  return `MPSH_Client_${client}_RET`;
}

export interface CsProcessView {
  state: SlotState;
  pid: number;
  id: number;
  startedMs: number;
  idle: boolean;
  /** The loop's idle policy, once it started. */
  idlePolicy?: IdleReport;
  /** CLOCK_MONOTONIC ns of the loop's last sign of life. */
  heartbeatNs: bigint;
  /** Client: packets taken from its ring. */
  rx: bigint;
}

export class PortInfoView {
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

export class CsRegion {
  private readonly v: DataView;
  private constructor(
    readonly zone: Memzone,
    private readonly l: CsStatsLayout,
  ) {
    this.v = new DataView(zone.buffer());
  }

  static lookup(): CsRegion | null {
    const l = csLayout();
    const z = native().Memzone.lookup(l.zone);
    return z ? new CsRegion(z, l) : null;
  }

  static open(): CsRegion {
    const l = csLayout();
    const zone = lookupOrReserve(l.zone, l.size, (z) => {
      const v = new DataView(z.buffer());
      v.setUint32(4, l.version, true);
      v.setUint32(0, l.magic, true); // last: readers check it
    });
    return new CsRegion(zone, l);
  }

  /** Stamped by whoever reserved it (a reservation racing with us may not be yet). */
  get valid(): boolean {
    return this.v.getUint32(0, true) === this.l.magic && this.v.getUint32(4, true) === this.l.version;
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

  private procBase(who: 'server' | number): number {
    return who === 'server' ? this.l.server : this.l.clients + who * this.l.process.size;
  }

  /**
   * Marks `who` as this process, starting. Counters are per client id and
   * cumulative across restarts, like the stock port_info's: a client's
   * rx (from the server) and tx + tx_drop (its own) keep adding up.
   */
  claim(who: 'server' | number): void {
    const b = this.procBase(who);
    const p = this.l.process;
    this.v.setUint32(b + p.state, STATES.indexOf('starting'), true);
    this.v.setUint32(b + p.pid, process.pid, true);
    this.v.setUint32(b + p.role, who === 'server' ? this.l.roleServer : this.l.roleClient, true);
    this.v.setUint32(b + p.id, who === 'server' ? 0 : who, true);
    this.v.setBigUint64(b + p.startedNs, BigInt(Date.now()) * 1_000_000n, true);
    this.v.setBigUint64(b + p.heartbeatNs, process.hrtime.bigint(), true);
    this.v.setBigUint64(b + p.idle, 0n, true);
    this.v.setBigUint64(b + p.idlePolicy, 0n, true);
  }

  setState(who: 'server' | number, state: SlotState): void {
    this.v.setUint32(this.procBase(who) + this.l.process.state, STATES.indexOf(state), true);
  }

  process(who: 'server' | number): CsProcessView | null {
    const b = this.procBase(who);
    const p = this.l.process;
    const state = STATES[this.v.getUint32(b + p.state, true)] ?? 'empty';
    if (state === 'empty') return null;
    return {
      state,
      pid: this.v.getUint32(b + p.pid, true),
      id: this.v.getUint32(b + p.id, true),
      startedMs: Number(this.v.getBigUint64(b + p.startedNs, true) / 1_000_000n),
      idle: this.v.getBigUint64(b + p.idle, true) !== 0n,
      idlePolicy: decodeIdleReport(this.v.getBigUint64(b + p.idlePolicy, true)),
      heartbeatNs: this.v.getBigUint64(b + p.heartbeatNs, true),
      rx: this.v.getBigUint64(b + p.rx, true),
    };
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

  /** Mbufs client `c` found in its lcore cache at start and dropped (a killed predecessor's). */
  distrusted(c: number): bigint {
    const r = this.l.returns;
    return this.v.getBigUint64(r.slots + c * r.slotSize + r.distrusted, true);
  }

  /** Whether an mpsh server drains the return rings now. */
  get returnsOn(): boolean {
    return this.v.getUint32(this.l.returns.on, true) === 1;
  }

  get noClientDrop(): bigint {
    return this.v.getBigUint64(this.l.noClientDrop, true);
  }
}
