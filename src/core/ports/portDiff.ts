/**
 * What a failed hotplug request left behind in this process. EAL rolls a
 * failed attach or detach back in every process, but a rollback can fail in
 * turn: `attach net_ring12,nodeaction=r1:0:CREATE` left a port `r1` in the
 * primary that the secondaries lacked, and port ids then differed between
 * processes (issue 19 item 11). After a failure the shell compares this
 * process's ports with those it had before and names every difference.
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

/** One clause naming what differs from `before`, or '' when nothing does. */
export function portDifferences(before: PortSnapshot, processType: string): string {
  const now = portSnapshot();
  const added = [...now].filter(([id, name]) => before.get(id) !== name);
  const removed = [...before].filter(([id, name]) => now.get(id) !== name);
  if (added.length === 0 && removed.length === 0) return '';
  const parts: string[] = [];
  const self = processType === 'primary' ? 'the primary (this process)' : 'this process';
  if (added.length > 0) parts.push(`${self} kept ${named(added)}, which the processes that failed lack`);
  if (removed.length > 0) parts.push(`${self} lost ${named(removed)}, which the other processes still have`);
  return `the rollback did not undo it: ${parts.join('; ')}. Port ids now differ between processes: stop the group's processes and start the prefix again`;
}
