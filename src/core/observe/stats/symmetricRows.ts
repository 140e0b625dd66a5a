/** Rows for symmetric workers: one per claimed slot, with its per-port counters. */
import { stateOf, type Liveness } from '../../roles/liveness.js';
import { symmetricName } from '../../roles/processNames.js';
import { describeState, isAlive, type ChildLookup } from '../../roles/supervisor.js';
import type { SymmetricReader, SymSlot } from '../../roles/symmetric/statsRegion.js';
import type { ProcessRow, RateFn } from './types.js';

export function symmetricRows(region: SymmetricReader | null, children: ChildLookup | null, now: number, rate: RateFn, l: Liveness): ProcessRow[] {
  const rows: ProcessRow[] = [];
  for (const slot of region?.slots() ?? []) {
    const name = symmetricName(slot.procId);
    const child = children?.get(name);
    // A restarted child that has not claimed the slot yet: its row (pid,
    // state) with the counts of the name so far, so no total dips meanwhile.
    if (child && child.pid !== slot.pid && isAlive(child)) {
      rows.push({
        ...symmetricRow(name, slot, describeState(child.state), now, rate),
        pid: child.pid,
        uptimeMs: 0,
        idle: undefined,
        idlePolicy: undefined,
        heartbeatNs: undefined,
      });
      continue;
    }
    rows.push(symmetricRow(name, slot, stateOf(slot, child, l), now, rate));
  }
  return rows;
}

/** A worker's row; its counters are those of its proc-id, cumulative across restarts. */
function symmetricRow(name: string, slot: SymSlot, state: string, now: number, rate: RateFn): ProcessRow {
  const key = `${name}:${slot.pid}`;
  const ports = slot.ports.map((p) => {
    const rx = Number(p.rx);
    const tx = Number(p.tx);
    return { port: p.port, rx, tx, drop: Number(p.drop), rxPps: rate(`${key}:${p.port}:rx`, rx), txPps: rate(`${key}:${p.port}:tx`, tx) };
  });
  const running = state === 'running';
  return {
    name,
    role: 'symmetric',
    pid: slot.pid,
    state,
    uptimeMs: running || state === 'starting' ? now - slot.startedMs : 0,
    procId: slot.procId,
    idle: running && slot.idle,
    idlePolicy: running ? slot.idlePolicy : undefined,
    heartbeatNs: slot.heartbeatNs,
    ports,
  };
}
