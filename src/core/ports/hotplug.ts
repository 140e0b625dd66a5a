/**
 * Attaching and detaching devices in every process of the prefix (what the
 * stock hotplug_mp sample does), with the checks EAL does not make:
 * everything that would fail half-way, or fail after a silent 5 s wait, or
 * succeed with a silently cut devargs, is refused up front in one line and
 * nothing changes.
 */
import os from 'node:os';
import { DpdkError, UsageError } from '../util/errors.js';
import { native, type ParsedDevargs, type PortDevice } from '../dpdk/native.js';
import { unresponsivePeers } from '../os/mpPeers.js';
import { refuseNonRegularDevargsFiles, updateRecordedDevargs } from '../dpdk/devargs.js';
import { checkDeviceName, checkDriverArgs } from './devargsChecks.js';
import { withHotplugLock } from './hotplugLock.js';
import { portDifferences, portSnapshot, type PortSnapshot } from './portDiff.js';

/**
 * DPDK 22.11 sends a hotplug request's devargs as `bus:name,args` in a
 * 128-byte field of the multi-process message and cuts what does not fit
 * (strlcpy): the other processes would probe something else.
 */
export const MP_DEVARGS_MAX = 127;
/**
 * The pcap driver in a secondary re-reads its arguments from a 64-byte copy
 * (ETH_PCAP_ARG_MAXLEN): longer ones lose their tail there, so a hotplugged
 * pcap port would open other files in secondaries, or fail to.
 */
export const PCAP_ARGS_MAX = 63;

export interface AttachPlan extends ParsedDevargs {
  /** The devargs as the multi-process message carries them. */
  message: string;
}

export interface PortListing extends PortDevice {
  /** Processes that poll or send on this port (observe/stats/portUsers.ts says which). */
  users: string[];
}

/** User text in a message: printable and bounded. */
function quoted(text: string, max = 60): string {
  // eslint-disable-next-line no-control-regex
  const printable = text.replace(/[\x00-\x1f\x7f-\x9f]/g, '?');
  return printable.length > max ? `${printable.slice(0, max)}…` : printable;
}

/** Validates `attach <devargs>`: parses it as EAL will and refuses what cannot work. */
export function planAttach(text: string): AttachPlan {
  const devargs = text.trim();
  if (devargs === '') throw new UsageError('attach needs devargs, e.g. attach net_null2 or attach net_tap2,iface=tap2');
  if (/\s/.test(devargs)) throw new UsageError(`devargs cannot hold spaces: '${quoted(devargs)}'`);
  checkDeviceName(devargs.split(',')[0]!.replace(/^[a-z]+:/, ''));
  let parsed: ParsedDevargs;
  try {
    parsed = native().parseDevargs(devargs);
  } catch (err) {
    if (!(err instanceof DpdkError)) throw err;
    const name = devargs.split(',')[0]!;
    throw new UsageError(
      `no bus or driver takes '${quoted(name)}': name a known driver with an instance number (net_null2, net_ring2, net_tap2,iface=…, net_pcap2,rx_pcap=…)`,
    );
  }
  if (parsed.name === '') throw new UsageError(`cannot parse devargs '${quoted(devargs)}': it names no device`);
  const message = `${parsed.bus}:${parsed.name},${parsed.args}`;
  const bytes = Buffer.byteLength(message);
  if (bytes > MP_DEVARGS_MAX)
    throw new UsageError(
      `devargs too long: '${parsed.bus}:${parsed.name},…' is ${bytes} bytes in the multi-process message, and DPDK 22.11 cuts it at ${MP_DEVARGS_MAX} (the other processes would get another device): shorten names and paths`,
    );
  if (parsed.name.startsWith('net_pcap') && parsed.args.length > PCAP_ARGS_MAX)
    throw new UsageError(
      `pcap arguments too long (${parsed.args.length} characters): the pcap driver in secondaries re-reads them from a 64-byte copy (${PCAP_ARGS_MAX} characters) and would open other files; use shorter (relative) file names`,
    );
  refuseNonRegularDevargsFiles(devargs);
  checkDriverArgs(parsed);
  requireNewDevice(parsed.name);
  return { ...parsed, message };
}

/** Refuses a name a port or device of this process has. */
function requireNewDevice(name: string): void {
  const clash = listPorts().find((p) => p.name === name || p.device === name);
  if (clash) throw new UsageError(`${name} already exists (port ${clash.port}): detach it first, or attach another instance number`);
}

/** The device a `detach <devargs | port id>` names. */
export function findDevice(target: string): PortDevice {
  const t = target.trim();
  if (t === '') throw new UsageError('detach needs a port id or a device name: list shows them');
  const ports = listPorts();
  if (/^\d+$/.test(t)) {
    const p = ports.find((x) => x.port === Number(t));
    if (!p) throw new UsageError(`no port ${quoted(t, 12)}: list shows the ports`);
    return p;
  }
  let name = t.split(',')[0]!;
  try {
    name = native().parseDevargs(t).name;
  } catch {
    // not parsable: look it up as typed, and say it is unknown
  }
  const p = ports.find((x) => x.device === name || x.name === name);
  if (!p) throw new UsageError(`no device '${quoted(name)}': list shows the ports`);
  return p;
}

/** Every port of this process with its device, link, and (given `usersOf`) who uses it. */
export function listPorts(usersOf?: (port: number) => string[]): PortListing[] {
  const addon = native();
  return addon.ethPorts().map((p) => {
    let dev: PortDevice;
    try {
      dev = addon.portDevice(p.port);
    } catch {
      dev = { port: p.port, name: p.name, device: p.name, bus: '', linkUp: false };
    }
    return { ...dev, users: usersOf ? usersOf(p.port) : [] };
  });
}

/**
 * Refuses a hotplug request that would stall: names every process of the
 * prefix that would not answer it.
 */
export function requireResponsivePeers(runtimeDir: string, processType: string, what: string): void {
  const stuck = unresponsivePeers(runtimeDir, processType === 'primary');
  if (stuck.length === 0) return;
  throw new UsageError(
    `${what} refused: ${stuck.map((s) => s.reason).join('; ')} — EAL would wait 5 s for ${stuck.length === 1 ? 'it' : 'them'} and fail; resume or stop ${stuck.length === 1 ? 'it' : 'them'} first`,
  );
}

/** Attaches in every process of the prefix; returns the new port(s) of the device here. */
export async function attach(plan: AttachPlan, runtimeDir: string, processType: string): Promise<PortDevice[]> {
  return withHotplugLock(runtimeDir, `attach ${plan.name}`, () => attachLocked(plan, runtimeDir, processType));
}

async function attachLocked(plan: AttachPlan, runtimeDir: string, processType: string): Promise<PortDevice[]> {
  // Another process may have attached it while this one waited for the lock.
  requireNewDevice(plan.name);
  requireResponsivePeers(runtimeDir, processType, `attach ${plan.name}`);
  const before = portSnapshot();
  try {
    await native().hotplugAdd(plan.bus, plan.name, plan.args);
  } catch (err) {
    throw new UsageError(explainHotplugFailure('attach', plan.name, err, before, processType));
  }
  // A worker restarted after the primary died attaches to the vdevs recorded by name.
  if (plan.bus === 'vdev') updateRecordedDevargs((d) => [...d.filter((x) => deviceOf(x) !== plan.name), plan.args ? `${plan.name},${plan.args}` : plan.name]);
  return listPorts().filter((p) => p.device === plan.name);
}

/** Detaches in every process of the prefix (the caller has made sure nobody uses it). */
export async function detach(dev: PortDevice, runtimeDir: string, processType: string, onStart: () => void = () => {}): Promise<void> {
  await withHotplugLock(runtimeDir, `detach ${dev.device}`, () => detachLocked(dev, runtimeDir, processType, onStart));
}

async function detachLocked(dev: PortDevice, runtimeDir: string, processType: string, onStart: () => void): Promise<void> {
  // Another process may have detached it while this one waited for the lock.
  if (!listPorts().some((x) => x.device === dev.device))
    throw new UsageError(`no device '${dev.device}' any more (detached meanwhile by another process): list shows the ports`);
  requireResponsivePeers(runtimeDir, processType, `detach ${dev.device}`);
  onStart();
  for (const p of listPorts().filter((x) => x.device === dev.device)) native().stopPortIfStartedHere(p.port);
  const before = portSnapshot();
  try {
    await native().hotplugRemove(dev.bus, dev.device);
  } catch (err) {
    throw new UsageError(explainHotplugFailure('detach', dev.device, err, before, processType));
  }
  updateRecordedDevargs((d) => d.filter((x) => deviceOf(x) !== dev.device));
}

/** The device name of a --vdev value. */
const deviceOf = (devargs: string) => devargs.replace(/^vdev:/, '').split(',')[0]!;

const { EIO, ENOENT, ENODEV, EEXIST, EINVAL, ENOMSG, ETIMEDOUT } = os.constants.errno;

function explainHotplugFailure(verb: 'attach' | 'detach', name: string, err: unknown, before: PortSnapshot, processType: string): string {
  // EAL rolls a failed request back; where the rollback itself failed, say exactly what differs.
  const differs = portDifferences(before, processType);
  return differs ? `${hotplugFailure(verb, name, err).replace(/; nothing changed$/, '')}; ${differs}` : hotplugFailure(verb, name, err);
}

function hotplugFailure(verb: 'attach' | 'detach', name: string, err: unknown): string {
  if (!(err instanceof DpdkError)) return `${verb} ${name} failed: ${err instanceof Error ? err.message : String(err)}`;
  const text = err.message.replace(/^(attach|detach) \S+: /, '');
  let why: string;
  if (err.errno === ENOMSG || err.errno === ETIMEDOUT) why = 'a process of the prefix did not answer in time';
  else if (verb === 'attach' && err.errno === EEXIST) why = 'a process of the prefix already has a device of that name';
  else if (verb === 'attach') why = 'the driver did not take the device (check the devargs keys and values)';
  else if ([ENOENT, ENODEV, EINVAL].includes(err.errno)) why = 'a process of the prefix does not have that device';
  else why = 'a process of the prefix could not remove it';
  return `${verb} ${name} failed: ${why}${err.errno === EIO ? '' : ` (${text})`}; nothing changed`;
}
