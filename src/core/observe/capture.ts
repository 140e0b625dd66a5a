/**
 * `capture`: copies of what one mpsh process receives or sends, written by
 * the shell to a pcapng file (native/src/capture.*). One capture at a time
 * per shell; the process's loop copies into a bounded ring and never waits.
 */
import os from 'node:os';
import { UsageError } from '../util/errors.js';
import type { ProcessRow } from './stats/types.js';
import { native, type CaptureCounters, type CaptureSession } from '../dpdk/native.js';
import { pidAlive } from '../os/pids.js';

export type Direction = 'rx' | 'tx' | 'both';

export interface CaptureRequest {
  file: string;
  count?: number;
  durationS?: number;
  port?: number;
  direction: Direction;
  /** Replace an existing non-empty file. */
  force?: boolean;
}

/** The longest --duration a timer holds (setTimeout's 2^31-1 ms; beyond, Node fires at once). */
export const MAX_DURATION_S = Math.floor((2 ** 31 - 1) / 1000);
/** The largest --count: counts are 64-bit, JavaScript numbers exact up to 2^53-1. */
export const MAX_COUNT = Number.MAX_SAFE_INTEGER;

const POLL_MS = 20;
/** The copies' room (capture pool data room): longer packets are cut here. */
const SNAPLEN = 2048;

interface Running {
  name: string;
  file: string;
  session: CaptureSession;
  count?: number;
  timers: NodeJS.Timeout[];
  done: (line: string) => void;
}

/** A word as a POSIX shell reads it back. */
const shellWord = (w: string) => (/^[\w./@%+=:,-]+$/.test(w) ? w : `'${w.replace(/'/g, "'\\''")}'`);

/**
 * How to read the file with each packet's port and direction: pcapng keeps
 * them per packet (interface, EPB flags), tshark shows them, tcpdump does
 * not, and a forwarder's capture holds each packet twice (in, then out).
 */
export function readerHint(file: string, direction: Direction): string {
  const f = shellWord(file);
  const twice = direction === 'both' ? ': each forwarded packet shows twice, in on one port and out on another' : '';
  return `read it with port and direction${twice}: tshark -r ${f} -T fields -e frame.number -e frame.interface_name -e frame.packet_flags_direction -e _ws.col.Info (tcpdump -r ${f} -n shows no direction)`;
}

export class Captures {
  private current: Running | null = null;

  get running(): { name: string; file: string } | null {
    return this.current ? { name: this.current.name, file: this.current.file } : null;
  }

  /** Starts copying `row`'s packets; `done` gets the closing line. Returns what it started. */
  start(row: ProcessRow, req: CaptureRequest, done: (line: string) => void): string {
    if (this.current) throw new UsageError(`a capture is running (${this.current.name} to ${this.current.file}): 'capture stop' first`);
    if (row.state.includes('stock') || (row.pid === 0 && row.state === 'unknown')) {
      throw new UsageError(
        `${row.name} is a stock process: only mpsh processes copy their packets for capture (stock ones call no capture hook); run it as mpsh ${row.role} to capture it`,
      );
    }
    if (row.state !== 'running') throw new UsageError(`${row.name} is not running (${row.state}): capture needs its packet loop`);
    if (row.role === 'server' && req.direction === 'tx')
      throw new UsageError('the server only receives (its clients send): use --direction rx, or capture a client');
    if (req.port !== undefined && !row.ports.some((p) => p.port === req.port)) {
      throw new UsageError(`${row.name} does not handle port ${req.port}: its ports are ${row.ports.map((p) => p.port).join(', ') || 'none'}`);
    }
    const layout = native().captureLayout();
    const slot = row.role === 'symmetric' ? row.procId! : row.role === 'server' ? layout.serverSlot : layout.clientSlot0 + row.client!.id;
    const directions = req.direction === 'rx' ? layout.rx : req.direction === 'tx' ? layout.tx : layout.rx | layout.tx;
    const session = new (native().CaptureSession)({
      slot,
      file: req.file,
      port: req.port,
      count: req.count,
      directions,
      snaplen: SNAPLEN,
      force: req.force === true,
      staleSession: deadOwnerSession(slot),
    });
    const run: Running = { name: row.name, file: req.file, session, count: req.count, timers: [], done };
    this.current = run;
    let written = 0;
    run.timers.push(
      setInterval(() => {
        written += session.poll(req.count === undefined ? undefined : req.count - written);
        if ((req.count !== undefined && written >= req.count) || session.failed()) this.finish();
      }, POLL_MS),
    );
    if (req.durationS !== undefined) run.timers.push(setTimeout(() => this.finish(), req.durationS * 1000));
    const what = [req.direction === 'both' ? 'rx and tx' : req.direction, req.port !== undefined ? `port ${req.port}` : 'every port'];
    const until = [req.count !== undefined ? `${req.count} packets` : '', req.durationS !== undefined ? `${req.durationS} s` : ''].filter(Boolean).join(' or ');
    return [
      `capturing ${row.name} (${what.join(', ')}) to ${req.file}${until ? ` for ${until}` : ": 'capture stop' ends it"}…`,
      readerHint(req.file, req.direction),
    ].join('\n');
  }

  /** Ends the running capture now; false when there is none. */
  stop(): boolean {
    if (!this.current) return false;
    this.finish();
    return true;
  }

  private finish(): void {
    const run = this.current;
    if (!run) return;
    this.current = null;
    run.timers.forEach((t) => clearInterval(t));
    const c = run.session.stop(run.count);
    const dropped = c.dropped > 0 ? ` (${c.dropped} copies dropped: the loop found the capture ring full)` : '';
    run.done(`captured ${c.written} packets to ${run.file}${dropped}${writeFailure(c)}`);
  }
}

/** Why a capture stopped early: the first failed write, by its errno name. */
function writeFailure(c: CaptureCounters): string {
  if (c.writeErrno === 0) return '';
  const code = Object.entries(os.constants.errno).find(([, n]) => n === c.writeErrno)?.[0] ?? `errno ${c.writeErrno}`;
  return `, then stopped: a write failed with ${code} (${c.writeError}); the file holds those ${c.written} packets and ends on a whole block`;
}

/**
 * The session holding `slot` when its shell is dead (killed while
 * capturing): that slot is free, and the new capture takes it over.
 */
function deadOwnerSession(slot: number): number | undefined {
  const owner = native().captureSlotOwner(slot);
  return owner.session !== 0 && owner.pid !== process.pid && !pidAlive(owner.pid) ? owner.session : undefined;
}
