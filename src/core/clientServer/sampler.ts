/**
 * Rows for the client-server group: the server (per-port rx) and a row per
 * client id (rx and rx_drop from the server's side, tx and tx_drop from
 * port_info). Stock servers and clients show too: a stock client's tx comes
 * from port_info; only mpsh's server records per-client rx.
 */
import type { ClientCounters, PortRow, ProcessRow, RateFn } from '../groupStats.js';
import { describeState, isAlive, type ManagedChild, type Supervisor } from '../supervisor.js';
import { pidAlive } from '../pids.js';
import { withHeartbeat } from '../symmetric/statsRegion.js';
import { native } from '../native.js';
import { CsRegion, PortInfoView, ringName, type CsProcessView } from './region.js';

function countRings(): number {
  let n = 0;
  while (n < 16 && native().Ring.lookup(ringName(n))) n++;
  return n;
}

function stateOf(slot: CsProcessView | null, child: ManagedChild | undefined): string {
  const beat = (state: string) => (slot && (!child || child.pid === slot.pid) ? withHeartbeat(state, slot.heartbeatNs) : state);
  if (child && (!slot || child.pid === slot.pid || isAlive(child))) return beat(describeState(child.state));
  if (!slot) return 'unknown';
  if (slot.state === 'stopped') return 'stopped';
  return pidAlive(slot.pid) ? beat(slot.state) : 'dead';
}

export class ClientServerSampler {
  private region: CsRegion | null = null;
  private portInfo: PortInfoView | null = null;

  rows(supervisor: Supervisor | null, now: number, rate: RateFn): ProcessRow[] {
    this.portInfo ??= PortInfoView.lookup();
    if (!this.portInfo) return [];
    this.region ??= CsRegion.lookup();
    if (this.region && !this.region.valid) this.region = null;
    const ports = this.portInfo.ports;
    const rows: ProcessRow[] = [];
    const region = this.region;
    const serverSlot = region?.process('server') ?? null;
    const serverChild = supervisor?.get('server');
    // mpsh counts by port id (64-bit); port_info by position (what a stock server fills).
    const serverPorts = ports.map((p, i) => {
      const rx = Number(region && serverSlot ? region.portRx(p) : this.portInfo!.rx(i));
      return { port: p, rx, tx: 0, drop: 0, rxPps: rate(`server:${p}:rx`, rx), txPps: 0 };
    });
    let serverState = stateOf(serverSlot, serverChild);
    if (serverState === 'unknown' && serverPorts.some((p) => p.rxPps > 0)) serverState = 'running (stock)';
    rows.push({
      name: 'server',
      role: 'server',
      pid: serverChild?.pid ?? serverSlot?.pid ?? 0,
      state: serverState,
      uptimeMs: serverState === 'running' && serverSlot ? now - serverSlot.startedMs : 0,
      idle: serverState === 'running' ? serverSlot?.idle : undefined,
      idlePolicy: serverState === 'running' ? serverSlot?.idlePolicy : undefined,
      ports: serverPorts,
      noClientDrop: Number(region?.noClientDrop ?? 0n),
    });
    // A stock server configures no MPSH_CS_STATS: count its rings instead.
    const numClients = region?.numClients || countRings();
    for (let id = 0; id < numClients; id++) rows.push(this.clientRow(id, ports, supervisor?.get(`client${id}`), now, rate));
    return rows;
  }

  private clientRow(id: number, ports: number[], child: ManagedChild | undefined, now: number, rate: RateFn): ProcessRow {
    const region = this.region;
    const info = this.portInfo!;
    const slot = region?.process(id) ?? null;
    const portRows: PortRow[] = ports.map((p) => {
      const tx = Number(info.tx(id, p));
      return { port: p, rx: 0, tx, drop: Number(info.txDrop(id, p)), rxPps: 0, txPps: rate(`client${id}:${p}:tx`, tx) };
    });
    const tx = portRows.reduce((a, p) => a + p.tx, 0);
    // Per-client rx is known only from an mpsh server (stock keeps it private): NaN shows as "-" and null in JSON.
    const mpshServer = region?.process('server') != null;
    const rx = mpshServer ? Number(region!.clientRx(id)) : NaN;
    const counters: ClientCounters = {
      id,
      rx,
      rxDrop: mpshServer ? Number(region!.clientRxDrop(id)) : NaN,
      tx,
      txDrop: portRows.reduce((a, p) => a + p.drop, 0),
      rxPps: mpshServer ? rate(`client${id}:rx`, rx) : NaN,
      txPps: portRows.reduce((a, p) => a + p.txPps, 0),
      skipped: region?.skipped(id) ?? false,
    };
    let state = stateOf(slot, child);
    // No mpsh client ever ran under this id: a stock one may, seen by its tx;
    // with no tx ever, nothing ran under it.
    if (state === 'unknown' && counters.txPps > 0) state = 'running (stock)';
    else if (state === 'unknown' && tx === 0) state = 'not started';
    return {
      name: `client${id}`,
      role: 'client',
      pid: child?.pid ?? slot?.pid ?? 0,
      state,
      uptimeMs: state === 'running' && slot ? now - slot.startedMs : 0,
      idle: state === 'running' ? slot?.idle : undefined,
      idlePolicy: state === 'running' ? slot?.idlePolicy : undefined,
      ports: portRows,
      client: counters,
    };
  }
}
