/** Which live processes of the group use a port: what `list` shows and `detach` refuses for. */
import { pidAlive } from '../../os/pids.js';
import type { GroupStats, ProcessRow } from './types.js';

const LIVE = new Set(['starting', 'running', 'stalled']);

/** Live processes of the group whose loop touches `port` (symmetric workers, server, clients). */
export function usersOf(port: number, group: GroupStats): string[] {
  const live = (r: ProcessRow) => LIVE.has(r.state) && pidAlive(r.pid);
  return group.processes.filter((r) => live(r) && r.ports.some((p) => p.port === port)).map((r) => r.name);
}
