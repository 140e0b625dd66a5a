/**
 * What a failed hotplug request left behind in this process. EAL rolls a
 * failed attach or detach back in every process, but a rollback can fail in
 * turn: `attach net_ring12,nodeaction=r1:0:CREATE` left a port `r1` in the
 * primary that the secondaries lacked, and port ids then differed between
 * processes (issue 19 item 11). After a failure the shell compares this
 * process's ports with those it had before and, in a secondary, with the
 * primary's (the prefix's shared port table), and names every difference.
 */
import { native } from '../dpdk/native.js';

export type PortSnapshot = Map<number, string>;

export function portSnapshot(): PortSnapshot {
  return new Map(
    native()
      .ethPortNames()
      .map((p) => [p.port, p.name]),
  );
}

const named = (ports: [number, string][]) => ports.map(([id, name]) => `port ${id} (${name})`).join(', ');

/** The primary's ports as the prefix's shared table holds them; null when unreadable. */
function primaryPorts(): PortSnapshot | null {
  const shared = native().sharedPortNames();
  return shared ? new Map(shared.map((p) => [p.port, p.name])) : null;
}

/** One clause naming what differs from `before`, and in a secondary from the primary's ports; '' when nothing does. */
export function portDifferences(before: PortSnapshot, processType: string): string {
  const now = portSnapshot();
  const added = [...now].filter(([id, name]) => before.get(id) !== name);
  const removed = [...before].filter(([id, name]) => now.get(id) !== name);
  const parts: string[] = [];
  const self = processType === 'primary' ? 'the primary (this process)' : 'this process';
  if (added.length > 0) parts.push(`${self} kept ${named(added)}, which the processes that failed lack`);
  if (removed.length > 0) parts.push(`${self} lost ${named(removed)}, which the other processes still have`);
  // A secondary also sees the primary's table: a port the primary kept, or dropped, after the rollback.
  const primary = processType === 'primary' ? null : primaryPorts();
  if (primary) {
    const onlyPrimary = [...primary].filter(([id, name]) => now.get(id) !== name);
    const onlyHere = [...now].filter(([id, name]) => primary.get(id) !== name && !added.some(([a]) => a === id));
    if (onlyPrimary.length > 0) parts.push(`the primary has ${named(onlyPrimary)}, which this process lacks`);
    if (onlyHere.length > 0) parts.push(`this process has ${named(onlyHere)}, which the primary lacks`);
  }
  if (parts.length === 0) return '';
  // Only the primary's table differs: the rollback of this request worked, an earlier one's did not.
  const lead = added.length + removed.length > 0 ? 'the rollback did not undo it' : 'the ports already differed before this request';
  return `${lead}: ${parts.join('; ')}. Port ids now differ between processes: stop the group's processes and start the prefix again`;
}
