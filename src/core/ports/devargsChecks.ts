/**
 * Checks of `attach` devargs that EAL leaves to the primary's drivers, made
 * in the asking shell before anything is attached (issue 19 items 11, 15):
 * the driver's own error reached only the primary's log, and the asking
 * shell saw `the driver did not take the device`. Each refusal is one line
 * that names the cause. Only stat and access calls: nothing opens a file
 * the user named, so a FIFO cannot block the shell. The kind of file (a
 * FIFO, a directory, a socket) is the one rule of dpdk/devargs.ts
 * (refuseNonRegularDevargsFiles), which also checks --vdev at start-up and
 * runs before these.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ParsedDevargs } from '../dpdk/native.js';
import { UsageError } from '../util/errors.js';

/** RTE_DEV_NAME_MAX_LEN (and RTE_ETH_NAME_MAX_LEN): 64 bytes with the terminating NUL. */
export const DEV_NAME_MAX = 63;

/** Before parsing: a name EAL would refuse, or cut, for its length alone. */
export function checkDeviceName(name: string): void {
  const bytes = Buffer.byteLength(name);
  if (bytes > DEV_NAME_MAX) {
    throw new UsageError(
      `device name too long: ${bytes} bytes, and DPDK takes at most ${DEV_NAME_MAX} (RTE_DEV_NAME_MAX_LEN 64, with the final NUL): use a shorter name`,
    );
  }
}

function keyValues(args: string): [string, string][] {
  return args
    .split(',')
    .filter(Boolean)
    .map((kv) => {
      const i = kv.indexOf('=');
      return i < 0 ? [kv, ''] : [kv.slice(0, i), kv.slice(i + 1)];
    });
}

const PCAP_READ = new Set(['rx_pcap']);
const PCAP_WRITE = new Set(['tx_pcap']);
const PCAP_IFACE = new Set(['rx_iface', 'rx_iface_in', 'tx_iface', 'iface']);

function errnoText(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e.code === 'ENOENT' ? 'No such file or directory' : e.code === 'EACCES' ? 'Permission denied' : (e.message ?? String(err));
}

function checkReadable(key: string, file: string): void {
  try {
    fs.accessSync(file, fs.constants.R_OK);
  } catch (err) {
    throw new UsageError(`${key}=${file}: ${errnoText(err)} (the pcap driver reads it in every process, relative to each process's directory)`);
  }
}

function checkWritable(key: string, file: string): void {
  const dir = path.dirname(file);
  try {
    if (!fs.statSync(dir).isDirectory()) throw Object.assign(new Error('Not a directory'), { code: 'ENOTDIR' });
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (err) {
    throw new UsageError(`${key}=${file}: cannot create it in ${dir}: ${errnoText(err)}`);
  }
}

function checkInterface(key: string, iface: string): void {
  if (!fs.existsSync(path.join('/sys/class/net', path.basename(iface)))) {
    throw new UsageError(`${key}=${iface}: no network interface of that name here (ip link shows them)`);
  }
}

/** After parsing and the file-kind rule: what the named driver would fail on in the primary, or do that the other processes cannot follow. */
export function checkDriverArgs(parsed: ParsedDevargs): void {
  const args = keyValues(parsed.args);
  if (parsed.name.startsWith('net_ring')) {
    const node = args.find(([k]) => k === 'nodeaction');
    if (node) {
      throw new UsageError(
        `net_ring's nodeaction names its port '${node[1].split(':')[0]}' apart from the device '${parsed.name}': the other processes look the port up by the device's name and cannot attach it; attach ${parsed.name} without nodeaction`,
      );
    }
  }
  if (parsed.name.startsWith('net_pcap')) {
    for (const [k, v] of args) {
      if (PCAP_READ.has(k)) checkReadable(k, v);
      else if (PCAP_WRITE.has(k)) checkWritable(k, v);
      else if (PCAP_IFACE.has(k)) checkInterface(k, v);
    }
  }
}
