/**
 * simple_mp's shared objects and message exchange, with the stock sample's
 * names and sizes so a stock dpdk-simple_mp can be either peer.
 */
import { liveProcessesOf } from '../../dpdk/prefixFiles.js';
import { lookupOrReserve } from '../../dpdk/memzones.js';
import { decodeBytes, encodeText } from '../../util/text.js';
import { native, type MessageChannel, type Mempool, type Memzone, type ProcessType } from '../../dpdk/native.js';

export const SIMPLE_MP = {
  pool: 'MSG_POOL',
  priToSec: 'PRI_2_SEC',
  secToPri: 'SEC_2_PRI',
  ringSize: 64,
  poolSize: 1024,
  /** STR_TOKEN_SIZE: a message and its NUL. */
  eltSize: 128,
  poolCache: 32,
  maxMessageBytes: 127,
  /** mpsh's own addition (stock ignores it): futex words for PRI_2_SEC (slot 0) and SEC_2_PRI (slot 1). */
  wakeZone: 'MPSH_MSG_WAKE',
  wakeZoneBytes: 128,
} as const;

/** The wake memzone, made by whichever mpsh process comes first (the primary may be stock). */
function wakeZone(): Memzone {
  return lookupOrReserve(SIMPLE_MP.wakeZone, SIMPLE_MP.wakeZoneBytes);
}

export type SendResult = { ok: true } | { ok: false; reason: 'too-long' | 'ring-full' | 'pool-empty' | 'monitor' | 'empty' | 'nul'; message: string };

export class SimpleMpChannel {
  private runtimeDir = '';
  private processRole: ProcessType = 'primary';

  private constructor(
    private readonly channel: MessageChannel | null,
    readonly pool: Mempool | null,
    /** Why this process cannot send (monitor mode), or null. */
    readonly monitorReason: string | null,
  ) {}

  /**
   * Primary: creates the rings and pool. Secondary: looks them up, or
   * becomes a monitor. `runtimeDir` (EAL's, for this prefix) tells who is
   * there to receive.
   */
  static open(role: ProcessType, runtimeDir = ''): SimpleMpChannel {
    const ch = SimpleMpChannel.openObjects(role);
    ch.runtimeDir = runtimeDir;
    ch.processRole = role;
    return ch;
  }

  private static openObjects(role: ProcessType): SimpleMpChannel {
    const { Ring, Mempool: Pool, MessageChannel: Channel } = native();
    if (role === 'primary') {
      const send = Ring.create(SIMPLE_MP.priToSec, SIMPLE_MP.ringSize);
      const recv = Ring.create(SIMPLE_MP.secToPri, SIMPLE_MP.ringSize);
      const pool = Pool.create(SIMPLE_MP.pool, SIMPLE_MP.poolSize, SIMPLE_MP.eltSize, SIMPLE_MP.poolCache);
      const wake = { zone: wakeZone(), sendSlot: 0, recvSlot: 1 };
      return new SimpleMpChannel(new Channel(send, recv, pool, wake), pool, null);
    }
    const recv = Ring.lookup(SIMPLE_MP.priToSec);
    const send = Ring.lookup(SIMPLE_MP.secToPri);
    const pool = Pool.lookup(SIMPLE_MP.pool);
    const missing = [
      [SIMPLE_MP.priToSec, recv],
      [SIMPLE_MP.secToPri, send],
      [SIMPLE_MP.pool, pool],
    ]
      .filter(([, v]) => v === null)
      .map(([n]) => n);
    if (missing.length > 0 || !pool) {
      return new SimpleMpChannel(
        null,
        pool,
        `this prefix's primary has no simple_mp objects (${missing.join(', ')} missing): it is not a simple_mp primary, so this shell only monitors`,
      );
    }
    const wake = { zone: wakeZone(), sendSlot: 1, recvSlot: 0 };
    return new SimpleMpChannel(new Channel(send, recv, pool, wake), pool, null);
  }

  /**
   * Why nobody would take a message sent now, or null if someone may. A
   * secondary's messages are read by the primary only: with the primary gone
   * they would wait in SEC_2_PRI for good. A primary's wait in PRI_2_SEC for
   * the next secondary (as stock's do), so it is told when none is attached;
   * `notReceiving` are secondaries known not to read messages (the group's
   * workers, server and clients).
   */
  nobodyReceives(notReceiving: ReadonlySet<number> = new Set()): string | null {
    if (!this.runtimeDir) return null;
    if (this.processRole !== 'primary') {
      return native().primaryRunning(this.runtimeDir) ? null : `the primary of this prefix has exited, nobody reads ${SIMPLE_MP.secToPri}`;
    }
    // Every secondary binds mp_socket_<pid>_<tsc> in the runtime directory.
    const secondaries = liveProcessesOf(this.runtimeDir);
    return secondaries.some((pid) => !notReceiving.has(pid)) ? null : 'no secondary is attached';
  }

  get role(): ProcessType {
    return this.processRole;
  }

  get canSend(): boolean {
    return this.channel !== null;
  }

  send(text: string): SendResult {
    if (!this.channel) return { ok: false, reason: 'monitor', message: `cannot send: ${this.monitorReason}` };
    // Bytes as given, invalid UTF-8 included (see text.ts), as stock sends them.
    const bytes = encodeText(text);
    if (bytes.length === 0) return { ok: false, reason: 'empty', message: 'send needs some text: send <text>' };
    // A message is a C string: a NUL would cut it short at the receiver.
    const nul = bytes.indexOf(0);
    if (nul >= 0)
      return { ok: false, reason: 'nul', message: `the text holds a NUL byte (at byte ${nul}), which would end the message there; nothing was sent` };
    if (bytes.length > SIMPLE_MP.maxMessageBytes) {
      return {
        ok: false,
        reason: 'too-long',
        message: `message is ${bytes.length} bytes, at most ${SIMPLE_MP.maxMessageBytes} fit; nothing was sent`,
      };
    }
    switch (this.channel.send(bytes)) {
      case 'sent':
        return { ok: true };
      case 'ring-full':
        return { ok: false, reason: 'ring-full', message: 'Failed to send message - message discarded' };
      case 'pool-empty':
        return { ok: false, reason: 'pool-empty', message: `Failed to get message buffer (${SIMPLE_MP.pool} is empty) - message discarded` };
    }
  }

  /**
   * Starts the native receive loop on a worker lcore; `onMessage` runs on the
   * JS thread with the bytes as text (invalid UTF-8 kept as escaped bytes).
   */
  startReceiving(lcore: number, onMessage: (text: string, lcore: number) => void): void {
    this.channel?.startReceiver(lcore, (bytes, l) => onMessage(decodeBytes(bytes), l));
  }

  get receiving(): boolean {
    return this.channel?.receiving ?? false;
  }

  stop(): void {
    this.channel?.stopReceiver();
  }
}
