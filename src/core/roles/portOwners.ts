/**
 * One group owns a prefix's ports at a time. Symmetric workers need the
 * ports set up for N queues each; a client-server group needs them set up
 * for its server's RX and one TX queue per client. `spawn symmetric` under a
 * running server set the ports up again beneath it (issue 19 item 5), so
 * each group refuses to start, or restart a member, while the other has a
 * live process: one the shell started, or any of the prefix (the shared
 * slots say, whoever started it).
 */
import { UsageError } from '../util/errors.js';
import { pidAlive } from '../os/pids.js';
import { CsRegion } from './clientServer/region.js';
import type { SlotHeader } from './processSlot.js';
import { isAlive, type Supervisor } from './supervisor.js';
import { SymStatsRegion } from './symmetric/statsRegion.js';

export type PortGroup = 'symmetric' | 'client-server';

const live = (s: SlotHeader | null): boolean => s !== null && s.state !== 'stopped' && pidAlive(s.pid);

/** The live processes of `group` in this prefix, by name. */
export function liveMembers(group: PortGroup, supervisor: Supervisor): string[] {
  const names = new Set<string>();
  const roles = group === 'symmetric' ? ['symmetric'] : ['server', 'client'];
  for (const c of supervisor.list()) if (roles.includes(c.spec.role) && isAlive(c)) names.add(c.spec.name);
  if (group === 'symmetric') {
    for (const s of SymStatsRegion.lookup()?.slots() ?? []) if (live(s)) names.add(`sym${s.procId}`);
  } else {
    const region = CsRegion.lookup();
    if (region?.valid) {
      if (live(region.process('server'))) names.add('server');
      for (let c = 0; c < region.numClients; c++) if (live(region.process(c))) names.add(`client${c}`);
    }
  }
  return [...names].sort();
}

/** Refuses `what` (e.g. `spawn symmetric`) while the other group has live processes. */
export function requirePortsFree(wanting: PortGroup, what: string, supervisor: Supervisor): void {
  const owner: PortGroup = wanting === 'symmetric' ? 'client-server' : 'symmetric';
  const members = liveMembers(owner, supervisor);
  if (members.length === 0) return;
  throw new UsageError(
    `the ports belong to the ${owner} group (${members.join(', ')} running): stop ${members.length === 1 ? 'it' : 'them'} first (${members
      .map((m) => `kill ${m}`)
      .join('; ')}), then ${what}`,
  );
}
