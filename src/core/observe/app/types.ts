/**
 * What mpsh sees of any DPDK app sharing its prefix (testpmd, l2fwd, your
 * own): every port's ethdev counters and xstats, every mempool, ring and
 * memzone, every process. Read the same way whoever created them.
 */
import type { EthInfo, EthStats, MempoolEntry, MemzoneEntry, RingEntry } from '../../dpdk/observeTypes.js';
import type { PrefixProcess } from '../../os/prefixProcesses.js';

export type { EthInfo, EthStats, MempoolEntry, MemzoneEntry, RingEntry } from '../../dpdk/observeTypes.js';

export interface Xstat {
  name: string;
  value: bigint;
}

export interface AppPortRates {
  rxPps: number;
  txPps: number;
  /** Bytes per second. */
  rxBps: number;
  txBps: number;
  /** imissed + ierrors + rx_nombuf per second: packets the port lost on receive. */
  rxLostPps: number;
}

export interface AppPort extends AppPortRates {
  port: number;
  name: string;
  info: EthInfo | null;
  stats: EthStats | null;
  xstats: Xstat[];
  /** Why stats or info could not be read (a DpdkError's text). */
  error?: string;
}

export interface AppProcess extends PrefixProcess {
  /** The name `show` and the panel use: the primary's comm, a secondary's comm.pid. */
  name: string;
  role: 'primary' | 'secondary';
  /** Another mpsh process (a second shell, an exporter): a watcher, not the app. */
  mpsh: boolean;
  state: string;
}

export interface AppView {
  ports: AppPort[];
  pools: MempoolEntry[];
  rings: RingEntry[];
  memzones: MemzoneEntry[];
  processes: AppProcess[];
}

export const emptyApp: AppView = { ports: [], pools: [], rings: [], memzones: [], processes: [] };
