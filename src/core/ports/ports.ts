/**
 * Which Ethernet ports a role uses, and whether they have the queues it
 * needs: the one place every spawn and role process asks.
 */
import { UsageError } from '../util/errors.js';
import { native } from '../dpdk/native.js';
import { sharedQueueLimit, type QueueLimit } from './portLimits.js';
import { parsePortMask, portsFromMask } from './portMask.js';

export interface PortChoice {
  ports: number[];
  /** What was left out, for the user. */
  notes: string[];
}

export interface PortSelection {
  /** The port mask as the user gave it (hexadecimal); every port when undefined. */
  mask?: string;
  /** The option that gave it, for messages: -p, --portmask. */
  option: string;
  /** Forwarding pairs ports: without a mask an odd one out is left out, with one it is refused. */
  pairs?: boolean;
}

const NO_PORTS = 'no Ethernet ports: give some with --vdev (e.g. --vdev=net_null0 --vdev=net_null1)';

export function selectPorts(sel: PortSelection): PortChoice {
  // Parsed first: a malformed mask is the error to report, whatever the ports.
  const mask = sel.mask === undefined ? undefined : parsePortMask(sel.mask, sel.option);
  const available = native()
    .ethPorts()
    .map((p) => p.port);
  if (available.length === 0) throw new UsageError(NO_PORTS);
  let ports = mask === undefined ? available : portsFromMask(mask, available);
  const notes: string[] = [];
  if (sel.pairs && ports.length % 2 === 1) {
    if (mask !== undefined) {
      throw new UsageError(
        `${sel.option} ${sel.mask} selects ${ports.length} port${ports.length === 1 ? '' : 's'}: forwarding pairs ports, so give an even number`,
      );
    }
    notes.push(`port ${ports.at(-1)} has no pair and is left out`);
    ports = ports.slice(0, -1);
    if (ports.length === 0) throw new UsageError('no pair of ports to forward between: give at least two with --vdev');
  }
  return { ports, notes };
}

/**
 * Refuses ports of the group that this process cannot use: the primary is
 * gone and did not record its devices (a stock primary), so they were not
 * attached here. Polling one would report success and forward nothing.
 */
export function requireUsablePorts(ports: number[]): void {
  const here = new Set(
    native()
      .ethPorts()
      .map((p) => p.port),
  );
  const missing = ports.filter((p) => !here.has(p));
  if (missing.length === 0) return;
  throw new UsageError(
    `port${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of this group ${missing.length > 1 ? 'are' : 'is'} not attached in this process (its primary is gone and left no record of its devices): restart the whole group`,
  );
}

/**
 * Refuses `wanted` queues on a port that cannot share that many with the
 * group's other processes (portLimits.ts: the driver's maximum, and a tap
 * port's multi-process limit). `refuse` words the refusal for the caller's
 * option from the limit and why.
 */
export function requireQueueLimit(ports: readonly number[], wanted: number, use: 'symmetric' | 'server', refuse: (limit: QueueLimit) => string): void {
  for (const p of ports) {
    const limit = sharedQueueLimit(p, use);
    if (wanted > limit.max) throw new UsageError(refuse(limit));
  }
}

/** Every port of this process as `<id> <name>`: what the status line shows and hotplug changes. */
export function portLabels(): string[] {
  return native()
    .ethPortNames()
    .map((p) => `${p.port} ${p.name}`);
}
