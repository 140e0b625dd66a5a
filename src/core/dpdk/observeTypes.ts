/**
 * The addon's reads of any DPDK app's objects (native/src/observe/
 * ethdev_stats.cc and walks.cc): ports, mempools, rings, memzones of the
 * prefix, whoever created them. Counters are 64-bit, so BigInt.
 */

/** rte_eth_stats_get; the q* arrays cover the configured queues (at most 16). */
export interface EthStats {
  ipackets: bigint;
  opackets: bigint;
  ibytes: bigint;
  obytes: bigint;
  imissed: bigint;
  ierrors: bigint;
  oerrors: bigint;
  rxNombuf: bigint;
  qIpackets: bigint[];
  qIbytes: bigint[];
  qErrors: bigint[];
  qOpackets: bigint[];
  qObytes: bigint[];
}

export interface EthLink {
  up: boolean;
  speedMbps?: number;
  fullDuplex: boolean;
  autoneg: boolean;
}

/** What a port is; parts its driver refuses are absent. */
export interface EthInfo {
  port: number;
  name: string;
  driver: string;
  rxQueues: number;
  txQueues: number;
  maxRxQueues: number;
  maxTxQueues: number;
  socket: number;
  mac?: string;
  mtu?: number;
  promiscuous?: boolean;
  link?: EthLink;
}

export interface MempoolEntry {
  name: string;
  size: number;
  eltSize: number;
  cacheSize: number;
  socket: number;
  inUse: number;
  available: number;
  /** Read off the backing ring's or stack's flags (opsVerified), else this process's ops table. */
  ops: string;
  opsVerified: boolean;
  /** Lcores whose cache holds objects now. */
  lcoreCaches: { lcore: number; count: number }[];
}

export interface RingEntry {
  name: string;
  size: number;
  capacity: number;
  count: number;
  free: number;
  flags: number;
}

export interface MemzoneEntry {
  name: string;
  length: number;
  socket: number;
  flags: number;
  hugepageSz: number;
}

export interface ObserveAddon {
  ethStats(port: number): EthStats;
  /** Names in id order; they change only when the port is reconfigured. */
  ethXstatNames(port: number): string[];
  /** Values in id order. */
  ethXstats(port: number): BigUint64Array;
  ethInfo(port: number): EthInfo;
  mempoolList(): MempoolEntry[];
  ringList(): RingEntry[];
  memzoneList(): MemzoneEntry[];
}
