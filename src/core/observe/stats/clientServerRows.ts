/**
 * Rows for the client-server group: the server (per-port rx) and a row per
 * client id (rx and rx_drop from the server's side, tx and tx_drop from
 * port_info). Stock servers and clients show too: a stock client's tx comes
 * from port_info; only mpsh's server records per-client rx.
 */
import type { CsReader, PortInfoReader } from '../../roles/clientServer/region.js';
import { stateOf, type Liveness } from '../../roles/liveness.js';
import { clientName, SERVER_NAME } from '../../roles/processNames.js';
import type { ChildLookup, ManagedChild } from '../../roles/supervisor.js';
import type { ClientCounters, PortRow, ProcessRow, RateFn } from './types.js';

export interface ClientServerView {
  portInfo: PortInfoReader;
  /** MPSH_CS_STATS, when a valid one exists (a stock server makes none). */
  region: CsReader | null;
  /** Client rings in the prefix: how many clients a stock server has. */
  ringCount: number;
}

export function clientServerRows(view: ClientServerView | null, children: ChildLookup | null, now: number, rate: RateFn, l: Liveness): ProcessRow[] {
  if (!view) return [];
  const { portInfo, region } = view;
  const ports = portInfo.ports;
  const serverSlot = region?.process('server') ?? null;
  const serverChild = children?.get(SERVER_NAME);
  // mpsh counts by port id (64-bit); port_info by position (what a stock server fills).
  const serverPorts = ports.map((p, i) => {
    const rx = Number(region && serverSlot ? region.portRx(p) : portInfo.rx(i));
    return { port: p, rx, tx: 0, drop: 0, rxPps: rate(`server:${p}:rx`, rx), txPps: 0 };
  });
  let serverState = stateOf(serverSlot, serverChild, l);
  if (serverState === 'unknown' && serverPorts.some((p) => p.rxPps > 0)) serverState = 'running (stock)';
  const rows: ProcessRow[] = [
    {
      name: SERVER_NAME,
      role: 'server',
      pid: serverChild?.pid ?? serverSlot?.pid ?? 0,
      state: serverState,
      uptimeMs: serverState === 'running' && serverSlot ? now - serverSlot.startedMs : 0,
      idle: serverState === 'running' ? serverSlot?.idle : undefined,
      idlePolicy: serverState === 'running' ? serverSlot?.idlePolicy : undefined,
      heartbeatNs: serverSlot?.heartbeatNs,
      ports: serverPorts,
      noClientDrop: Number(region?.noClientDrop ?? 0n),
    },
  ];
  // A stock server configures no MPSH_CS_STATS: count its rings instead.
  const numClients = region?.numClients || view.ringCount;
  for (let id = 0; id < numClients; id++) rows.push(clientRow(view, id, children?.get(clientName(id)), now, rate, l));
  return rows;
}

function clientRow(view: ClientServerView, id: number, child: ManagedChild | undefined, now: number, rate: RateFn, l: Liveness): ProcessRow {
  const { portInfo, region } = view;
  const slot = region?.process(id) ?? null;
  const portRows: PortRow[] = portInfo.ports.map((p) => {
    const tx = Number(portInfo.tx(id, p));
    return { port: p, rx: 0, tx, drop: Number(portInfo.txDrop(id, p)), rxPps: 0, txPps: rate(`${clientName(id)}:${p}:tx`, tx) };
  });
  const tx = portRows.reduce((a, p) => a + p.tx, 0);
  // Per-client rx is known only from an mpsh server (stock keeps it private): NaN shows as "-" and null in JSON.
  const server = region?.process('server') != null ? region : null;
  const rx = server ? Number(server.clientRx(id)) : NaN;
  const counters: ClientCounters = {
    id,
    rx,
    rxDrop: server ? Number(server.clientRxDrop(id)) : NaN,
    tx,
    txDrop: portRows.reduce((a, p) => a + p.drop, 0),
    rxPps: server ? rate(`${clientName(id)}:rx`, rx) : NaN,
    txPps: portRows.reduce((a, p) => a + p.txPps, 0),
    skipped: region?.skipped(id) ?? false,
  };
  let state = stateOf(slot, child, l);
  // No mpsh client ever ran under this id: a stock one may, seen by its tx;
  // with no tx ever, nothing ran under it.
  if (state === 'unknown' && counters.txPps > 0) state = 'running (stock)';
  else if (state === 'unknown' && tx === 0) state = 'not started';
  return {
    name: clientName(id),
    role: 'client',
    pid: child?.pid ?? slot?.pid ?? 0,
    state,
    uptimeMs: state === 'running' && slot ? now - slot.startedMs : 0,
    idle: state === 'running' ? slot?.idle : undefined,
    idlePolicy: state === 'running' ? slot?.idlePolicy : undefined,
    heartbeatNs: slot?.heartbeatNs,
    ports: portRows,
    client: counters,
  };
}
