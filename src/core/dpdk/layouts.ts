/**
 * The shared counter layouts as the addon exports them (statsLayout(),
 * native/src/layouts/layout_exports.cc): byte offsets, sizes, and the names of roles and
 * states by value. Types only: the values always come from C++.
 */
/** The ProcessSlot header every slot starts with (native/src/layouts/process_slot.h): offsets and names by value. */
export interface SlotHeaderLayout {
  size: number;
  role: number;
  id: number;
  pid: number;
  state: number;
  startedNs: number;
  heartbeatNs: number;
  idle: number;
  /** How the slot's process ended, written by its parent: exitedFlag | code, or killedFlag | signal number; 0 while unknown. */
  exitStatus: number;
  exitedFlag: number;
  killedFlag: number;
  idlePolicy: number;
  /** Role names by value (0 is none). */
  roles: string[];
  /** State names by value. */
  states: string[];
}

/** What every shared counter region starts with: a zone name, a size, and the magic and version readers check. */
export interface RegionLayout {
  zone: string;
  size: number;
  magic: number;
  version: number;
}

/** Byte offsets of the shared counter layouts (native/src/layouts/symmetric_layout.h, cs_layout.h). */
export interface SymStatsLayout extends RegionLayout {
  /** The mbuf pool every symmetric process shares (stock's name). */
  pool: string;
  maxProcs: number;
  maxPorts: number;
  slotsOffset: number;
  slotSize: number;
  /** Offsets inside a slot, after its header. */
  slot: { numProcs: number; lcore: number; portMask: number; ports: number; portSize: number };
}
export interface CsStatsLayout extends RegionLayout {
  pool: string;
  maxClients: number;
  maxPorts: number;
  numClients: number;
  strict: number;
  server: number;
  clients: number;
  clientRx: number;
  clientRxDrop: number;
  portRx: number;
  skipped: number;
  noClientDrop: number;
  /** A process slot: its size and, after its header, the client's rx. */
  process: { size: number; rx: number };
  /** Return rings (native/src/kill_safety/cs_returns.h): offsets of the flag and of the per-client slots. */
  returns: { on: number; serverReclaimed: number; slots: number; slotSize: number; drainer: number; returned: number; distrusted: number; reclaimed: number };
  /** The stock `struct port_info` (MProc_port_info). */
  portInfo: { zone: string; size: number; numPorts: number; id: number; rx: number; txStats: number; txStatsSize: number; txDrop: number };
}

export interface StatsLayout {
  header: SlotHeaderLayout;
  symmetric: SymStatsLayout;
  clientServer: CsStatsLayout;
  /** Heartbeat silence after which a running loop counts as stalled (ps) and a client is skipped (server). */
  stalledAfterMs: number;
}
