/**
 * When a child of the shell ends, the shell writes how (exit code or
 * signal) into the child's process slot: the slot then says what `ps`
 * says, to every reader of the prefix (a second shell, `mpsh exporter`,
 * DPDK telemetry's /mpsh/process), instead of a bare "stopped" or "dead".
 */
import { CsRegion } from './clientServer/region.js';
import type { ManagedChild } from './supervisor.js';
import { SymStatsRegion } from './symmetric/statsRegion.js';

export function recordExit(c: ManagedChild): void {
  if (c.state.kind !== 'exited' && c.state.kind !== 'killed') return;
  const { name, role } = c.spec;
  const id = Number(/\d+$/.exec(name)?.[0]);
  if (role === 'symmetric' && Number.isInteger(id)) SymStatsRegion.lookup()?.recordExit(id, c.pid, c.state);
  else if (role === 'server' || role === 'client') {
    const region = CsRegion.lookup();
    if (region?.valid) region.recordExit(role === 'server' ? 'server' : id, c.pid, c.state);
  }
}
