/** The group's counters as the panel, `stats` and `ps` show them: one row per process, port totals. */
import type { IdleReport } from '../../dpdk/idlePolicy.js';
import type { Role } from '../../roles/processSlot.js';
import type { AppView } from '../app/types.js';

export type { Role } from '../../roles/processSlot.js';

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
  role: Role;
  pid: number;
  state: string;
  uptimeMs: number;
  /** For symmetric workers. */
  procId?: number;
  /** The forwarding loop is backing off for lack of packets. */
  idle?: boolean;
  /** The loop's idle policy (mpsh processes, once their loop started). */
  idlePolicy?: IdleReport;
  /** The loop's last heartbeat (CLOCK_MONOTONIC ns), from the process slot. */
  heartbeatNs?: bigint;
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
  /** Client-server only: packets received on a port that no port's tx ever saw (groupDrops.ts). */
  drops?: GroupDrops;
  /** Whatever app shares the prefix: ethdev counters, mempools, rings, memzones, its processes. */
  app?: AppView;
}

/** Where the packets went that a port received and no port sent or refused: port rx = tx + DROP + these + what rings hold. */
export interface GroupDrops {
  /** The server found the client's ring full. */
  ringFull: number;
  /** The server found no live client. */
  noClient: number;
}

export const emptyGroup: GroupStats = { at: 0, processes: [], ports: [] };

/** Rate of change of a counter between two samples (set up by Rates.begin). */
export type RateFn = (key: string, value: number) => number;

/** How a row's state reads at a glance (the panel colours it). */
export type Tone = 'ok' | 'busy' | 'bad';

/** One line of the live panel (panel.ts draws them; app/panelLines.ts adds the app's). */
export interface PanelLine {
  text: string;
  tone?: Tone;
  bold?: boolean;
  dim?: boolean;
}
