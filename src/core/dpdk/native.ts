/**
 * The typed face of the native addon (native/). Nothing outside src/core
 * loads it; everything DPDK-specific crosses the boundary here.
 */
import type { IdleMode } from './idlePolicy.js';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { DpdkError } from '../util/errors.js';
import type { StatsLayout } from './layouts.js';
import type { ObserveAddon } from './observeTypes.js';

export type { CsStatsLayout, RegionLayout, SlotHeaderLayout, StatsLayout, SymStatsLayout } from './layouts.js';

export type ProcessType = 'primary' | 'secondary';

export interface EalInfo {
  processType: ProcessType;
  mainLcore: number;
  lcores: number[];
  socketId: number;
  runtimeDir: string;
}

export type EalInitResult = (EalInfo & { ok: true; log: string }) | { ok: false; log: string; errno: number; error: string };

export interface Ring {
  readonly name: string;
  readonly capacity: number;
  count(): number;
  freeCount(): number;
}
export interface RingClass {
  create(name: string, count: number, flags?: number): Ring;
  lookup(name: string): Ring | null;
}

export interface Mempool {
  readonly name: string;
  readonly size: number;
  readonly eltSize: number;
  /** The mempool ops (driver) behind it, e.g. ring_mp_mc or lf_stack. */
  readonly ops: string;
  /** Objects taken out of the pool (not in the ring nor in any lcore cache). */
  inUseCount(): number;
  availCount(): number;
  /** What is free, read in one pass: in the pool's ring (or stack) and in every lcore's cache. */
  counts(): { inPool: number; inCaches: number };
  /** The ring's cursors when a ring backs the pool (ring_* ops), else null. */
  ringCursors(): RingCursors | null;
}
export interface RingCursors {
  prodHead: number;
  prodTail: number;
  consHead: number;
  consTail: number;
}
export interface MempoolClass {
  create(name: string, n: number, eltSize: number, cacheSize: number): Mempool;
  createPktmbuf(name: string, n: number, cacheSize: number, ops?: string): Mempool;
  lookup(name: string): Mempool | null;
}

export interface Memzone {
  readonly name: string;
  readonly length: number;
  /** A zero-copy view of the shared memory. */
  buffer(): ArrayBuffer;
}
export interface MemzoneClass {
  reserve(name: string, length: number): Memzone;
  lookup(name: string): Memzone | null;
}

export type SendOutcome = 'sent' | 'ring-full' | 'pool-empty';
export interface MessageChannel {
  send(bytes: Uint8Array): SendOutcome;
  startReceiver(lcore: number, onMessage: (bytes: Buffer, lcore: number) => void): void;
  stopReceiver(): void;
  readonly receiving: boolean;
}
/** Futex words in a shared memzone through which mpsh senders wake idle receivers. */
export interface WakeSlots {
  zone: Memzone;
  sendSlot: number;
  recvSlot: number;
}
export interface MessageChannelClass {
  new (sendRing: Ring | null, recvRing: Ring | null, pool: Mempool, wake?: WakeSlots): MessageChannel;
}

export interface EthPortInfo {
  port: number;
  name: string;
  driver?: string;
}

export interface PortInterface {
  ifIndex: number;
  iface: string | null;
  /** Still in this process's network namespace. */
  here: boolean;
  /** Index of the interface of that name here (0: none): another one than ifIndex means set-up made a second. */
  indexHere: number;
}
/** A devargs string as EAL reads it: `[bus:]name[,args]`. */
export interface ParsedDevargs {
  bus: string;
  name: string;
  args: string;
}

/** The device behind a port (what detach names), and its link. */
export interface PortDevice {
  port: number;
  name: string;
  device: string;
  bus: string;
  linkUp: boolean;
}

export interface PortQueues {
  rxQueues: number;
  txQueues: number;
  maxRxQueues: number;
  maxTxQueues: number;
  driver: string;
}

export interface CaptureSession {
  /** Writes what waits, at most `limit` more packets; returns how many it wrote. */
  poll(limit?: number): number;
  /** Turns copying off, writes what is left (up to `limit` in all), closes the file. */
  stop(limit?: number): CaptureCounters;
  counters(): CaptureCounters;
  /** Whether a write failed: the file ends with its last whole block and the capture should end. */
  failed(): boolean;
}

export interface CaptureCounters {
  written: number;
  copied: number;
  dropped: number;
  /** The first failed write's errno (0: none) and its text. */
  writeErrno: number;
  writeError: string;
}

export interface LoopHandle {
  /** Starts the loop; returns the lcore it runs on. */
  start(): number;
  /** Stops and joins the loop (a client also flushes and empties its ring). */
  stop(): void;
}

export interface SymmetricWorkerOptions {
  ports: number[];
  queue: number;
  stats: Memzone;
  slot: number;
  idle?: IdleMode;
}
export interface SymmetricWorker {
  /** Starts the forwarding loops; returns the lcores they run on. */
  start(): number[];
  /** Stops and joins every loop. */
  stop(): void;
  readonly running: boolean;
}

/** ObserveAddon: the reads of any app's ports and objects (observeTypes.ts). */
export interface NativeAddon extends ObserveAddon {
  setErrorClass(cls: typeof DpdkError): void;
  ealInit(args: string[]): EalInitResult;
  ealInfo(): EalInfo;
  ealCleanup(): void;
  lcoreState(lcore: number): 'disabled' | 'main' | 'running' | 'wait';
  readonly maxLcore: number;
  claimLcores(dir: string, count: number, first: number, last: number): number[];
  /** An exclusive flock on `path` without waiting: its descriptor, or -1 while another process holds it. */
  tryClaimFile(path: string): number;
  releaseFile(fd: number): void;
  lcoreClaimed(dir: string, id: number): boolean;
  primaryRunning(runtimeDir: string): boolean;
  removeUnusedHugepageFiles(dir: string, prefix: string): number;
  /** Replaces this process with `file argv…` (execv), keeping `keepFds` open; returns only by throwing. */
  execSelf(file: string, argv: string[], keepFds?: number[]): never;
  /** Pid of the process holding the prefix's config lock (its primary), 0 when none. Not for the primary itself. */
  primaryPid(runtimeDir: string): number;
  /** Calls onGone once `pid` has exited ('announced': it said so first, as testpmd's quit does; native/src/eal/primary_watch.cc). */
  watchPrimary(pid: number, onGone: (how: 'exited' | 'announced') => void): void;
  unwatchPrimary(): void;
  /** Replies to the multi-process requests apps send every secondary (testpmd's exit notice). */
  registerNeighbourActions(): void;
  /** dev_started from the port's shared data (whoever started it), null when unknown (native/src/ports/port_state.cc). */
  portStartedShared(port: number): boolean | null;
  /** The prefix's shared port table (the primary's ports), or null when this DPDK's layout is unknown. */
  sharedPortNames(): { port: number; name: string }[] | null;
  /** Marks every descriptor above stdio close-on-exec, so children inherit none of EAL's. */
  closeOnExec(): void;
  /** Points those of fds 0-2 that are a hung-up terminal at /dev/null; returns how many. */
  releaseHungUpStdio(): number;
  /** Sends EAL's log to a pipe; returns its non-blocking read end. */
  ealLogToPipe(): number;
  /** Sends EAL's log to stderr again. */
  ealLogToStderr(): void;
  /** What the log pipe holds now (non-blocking), or null. */
  ealLogRead(fd: number): Buffer | null;
  /** SIGTTIN and SIGTTOU ignored: a background read fails with EIO instead of stopping the process (native/src/eal/stdio.cc). */
  ignoreTerminalStops(): void;
  ethPorts(): EthPortInfo[];
  /** Configures a port as the stock symmetric_mp primary does; returns fallback notes. */
  setupSymmetricPort(port: number, numQueues: number, pool: Mempool): string[];
  portQueues(port: number): PortQueues;
  /** Rx queues configured, and per queue its descriptors and mempool when the driver reports them (null when not). */
  rxQueueFill(port: number): { rxQueues: number; queues: { descriptors: number; pool: string | null }[] | null };
  /** The kernel interface behind a port (net_tap), or null. */
  portInterface(port: number): PortInterface | null;
  statsLayout(): StatsLayout;
  SymmetricWorker: new (opts: SymmetricWorkerOptions) => SymmetricWorker;
  /** Configures a port as the stock mp_server does: 1 RX queue, one TX queue per client. */
  /** Notes on what it had to change (for example as many RX as TX queues). */
  setupServerPort(port: number, numClients: number, pool: Mempool): string[];
  /** Frees every mbuf left in a ring; returns how many. */
  drainMbufRing(ring: Ring): number;
  /** Shell side of a capture (native/src/observe/capture.cc): sets the process's slot up, writes pcapng. */
  CaptureSession: new (opts: {
    slot: number;
    file: string;
    port?: number;
    count?: number;
    directions: number;
    snaplen: number;
    /** Replace an existing non-empty file (else refused). */
    force?: boolean;
    /** The session of a dead shell holding the slot: taken over. */
    staleSession?: number;
  }) => CaptureSession;
  /** Who holds a capture slot (0, 0: nobody); whether that shell lives is pids.ts's rule. */
  captureSlotOwner(slot: number): { session: number; pid: number };
  captureLayout(): { serverSlot: number; clientSlot0: number; maxSymProcs: number; rx: number; tx: number };
  /** Registers the /mpsh telemetry commands (primary only; native/src/observe/telemetry.cc). */
  registerTelemetry(): void;
  /** Repairs the pool's ring if a dead process left it half-updated (native/src/kill_safety/pool_repair.h). */
  repairPoolRing(pool: Mempool): { producerSlots: number; consumerSlots: number };
  /** With `pool` and `returnRings`, drains the clients' return rings (null: a client without one). */
  ServerDistributor: new (opts: {
    portInfo: Memzone;
    stats: Memzone;
    rings: Ring[];
    strict: boolean;
    pool?: Mempool;
    returnRings?: (Ring | null)[];
    idle?: IdleMode;
  }) => LoopHandle;
  /** With `pool` and `returnRing`, hands sent mbufs back through its return ring while an mpsh server drains it. */
  ClientForwarder: new (opts: {
    clientId: number;
    ring: Ring;
    portInfo: Memzone;
    stats: Memzone;
    pool?: Mempool;
    returnRing?: Ring | null;
    idle?: IdleMode;
  }) => LoopHandle;
  /** Throws a DpdkError when no bus takes the text. */
  parseDevargs(devargs: string): ParsedDevargs;
  /** rte_eal_hotplug_add on a worker thread: this process and every other of the prefix. */
  hotplugAdd(bus: string, name: string, args: string): Promise<void>;
  /** rte_eal_hotplug_remove on a worker thread. */
  hotplugRemove(bus: string, name: string): Promise<void>;
  portDevice(port: number): PortDevice;
  /** Port ids and names from shared data only, safe to poll. */
  ethPortNames(): { port: number; name: string }[];
  stopPortIfStartedHere(port: number): void;
  Ring: RingClass;
  Mempool: MempoolClass;
  Memzone: MemzoneClass;
  MessageChannel: MessageChannelClass;
}

const here = path.dirname(fileURLToPath(import.meta.url));
/** Repository root, from dist/src/core/dpdk or src/core/dpdk alike. */
export const repoRoot = path.resolve(here, here.includes(`${path.sep}dist${path.sep}`) ? '../../../..' : '../../..');

let addon: NativeAddon | undefined;

export function native(): NativeAddon {
  if (!addon) {
    const require = createRequire(import.meta.url);
    const file = path.join(repoRoot, 'native/build/Release/mpsh.node');
    try {
      addon = require(file) as NativeAddon;
    } catch (err) {
      throw new Error(`cannot load the native addon ${file} (${(err as Error).message}); run: npm run build`);
    }
    addon.setErrorClass(DpdkError);
  }
  return addon;
}
