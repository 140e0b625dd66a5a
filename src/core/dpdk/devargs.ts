/**
 * The primary's virtual devices, kept where a process started after the
 * primary died can find them.
 *
 * A secondary learns the vdevs from its primary over the multi-process
 * channel. With the primary gone it finds none, and its ports are unusable:
 * a restarted worker says `no Ethernet ports`, a client `No such device`, a
 * server polls a port that is not ready in its process. Given the same
 * --vdev devargs itself, it attaches to each device's shared state by name,
 * as it would have through the primary (rte_eth_dev_attach_secondary).
 */
import fs from 'node:fs';
import { lookupOrReserve } from './memzones.js';
import { UsageError } from '../util/errors.js';
import { visible } from '../util/text.js';
import { filePrefixOf, runtimeDirOf, splitArgs } from './ealOptions.js';
import { native } from './native.js';

const ZONE = 'MPSH_DEVARGS';
const SIZE = 8192;
const MAGIC = 0x64657661; // "deva"

/** Every value of --vdev, in order, in any spelling. */
export function vdevArgs(eal: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < eal.length; i++) {
    const a = eal[i]!;
    if (a === '--vdev' && i + 1 < eal.length) out.push(eal[++i]!);
    else if (a.startsWith('--vdev=')) out.push(a.slice('--vdev='.length));
  }
  return out;
}

/** Written once by the primary after EAL init: u32 magic, u32 count, then (u16 length, UTF-8 bytes) each. */
export function recordDevargs(devargs: readonly string[]): void {
  const zone = lookupOrReserve(ZONE, SIZE);
  const bytes = new Uint8Array(zone.buffer());
  const v = new DataView(zone.buffer());
  let off = 8;
  let count = 0;
  for (const d of devargs) {
    const b = Buffer.from(d, 'utf8');
    if (off + 2 + b.length > SIZE) break;
    v.setUint16(off, b.length, true);
    bytes.set(b, off + 2);
    off += 2 + b.length;
    count++;
  }
  v.setUint32(4, count, true);
  v.setUint32(0, MAGIC, true); // last: readers check it
}

export function recordedDevargs(): string[] {
  const zone = native().Memzone.lookup(ZONE);
  if (!zone) return [];
  const v = new DataView(zone.buffer());
  if (v.getUint32(0, true) !== MAGIC) return [];
  const out: string[] = [];
  let off = 8;
  for (let i = 0; i < v.getUint32(4, true); i++) {
    const len = v.getUint16(off, true);
    out.push(Buffer.from(zone.buffer(), off + 2, len).toString('utf8'));
    off += 2 + len;
  }
  return out;
}

/**
 * A child's argument vector (`role [EAL] -- [app]`), with the recorded
 * devargs added when its prefix has no primary to learn them from.
 */
export function withDevargsIfOrphaned(args: readonly string[]): string[] {
  const [role, ...rest] = args;
  const { eal } = splitArgs(rest);
  if (role === undefined || native().primaryRunning(runtimeDirOf(filePrefixOf(eal)))) return [...args];
  const have = new Set(vdevArgs(eal));
  const add = recordedDevargs().filter((d) => !have.has(d));
  return [role, ...add.map((d) => `--vdev=${d}`), ...rest];
}

/**
 * Hotplug keeps the record current: a vdev attached later is added, one
 * detached is dropped. Only where a primary recorded one (an mpsh primary).
 */
export function updateRecordedDevargs(change: (current: string[]) => string[]): void {
  if (!native().Memzone.lookup(ZONE)) return;
  recordDevargs(change(recordedDevargs()));
}

/** Devargs keys that name files, by driver (device name prefix). */
const FILE_KEYS: Array<{ driver: RegExp; keys: string[] }> = [{ driver: /^(vdev:)?(net|eth)_pcap/, keys: ['rx_pcap', 'tx_pcap'] }];

/**
 * Refuses devargs naming a file that is not a regular file. The pcap
 * driver opens its files blocking: a FIFO would hold the process (and, on
 * hotplug, every process of the prefix: a secondary's interrupt thread,
 * then every later attach) until someone opens its other end. stat(2) does
 * not open, so this check cannot block. A missing file is the driver's to
 * report (tx files are created).
 */
export function refuseNonRegularDevargsFiles(devargs: string): void {
  const [name = '', ...pairs] = devargs.split(',');
  const keys = FILE_KEYS.find((f) => f.driver.test(name))?.keys ?? [];
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const key = pair.slice(0, eq);
    if (eq < 0 || !keys.includes(key)) continue;
    const file = pair.slice(eq + 1);
    let st: fs.Stats;
    try {
      st = fs.statSync(file);
    } catch {
      continue;
    }
    // A character device takes writes without blocking (tx_pcap=/dev/null
    // discards what is sent); read, it may never end or never answer.
    if (st.isFile() || (st.isCharacterDevice() && key.startsWith('tx'))) continue;
    const what = st.isFIFO() ? 'a FIFO' : st.isDirectory() ? 'a directory' : st.isSocket() ? 'a socket' : 'a device';
    throw new UsageError(
      `${visible(name)}: ${key}=${visible(file)} is ${what}, not a regular file: the pcap driver would block every process of the prefix on it; give a pcap file`,
    );
  }
}
