/**
 * `mpsh server` and `mpsh client`: drop-ins for dpdk-mp_server and
 * dpdk-mp_client, with their loops in C++ on a DPDK lcore. A server started
 * as primary creates the group as the stock one does; started as a
 * secondary (by a shell that created the group) it only distributes, so it
 * can be restarted without touching its clients.
 */
import { startEal, stopEal, type EalSession } from '../eal.js';
import { allCpusSet, hasEalOption } from '../ealOptions.js';
import { UsageError } from '../errors.js';
import { installSignalHandlers, onShutdown } from '../lifecycle.js';
import { native } from '../native.js';
import { pidAlive } from '../pids.js';
import { parseClientArgs, parseServerArgs } from './args.js';
import { ringName } from './region.js';
import { createClientServer, lookupClientServer, requireUsablePorts, selectPorts, type ClientServerObjects } from './setup.js';

const say = (line: string) => process.stdout.write(`${line}\n`);

function start(userEal: string[], cpu: string): EalSession {
  return startEal({ userEal, lcoreCount: 2, cpuFor: (i) => (i === 0 ? allCpusSet() : cpu), defaultVdevs: ['net_null0', 'net_null1'] });
}

function refuseIfRunning(pid: number | undefined, state: string | undefined, what: string): void {
  if (pid && pid !== process.pid && state !== 'stopped' && pidAlive(pid)) throw new UsageError(`${what} is already running (pid ${pid})`);
}

export async function runServer(userEal: string[], appArgs: string[]): Promise<void> {
  const args = parseServerArgs(appArgs);
  installSignalHandlers({ stdoutClosedEnds: false });
  const eal = start(userEal, '0');
  let g: ClientServerObjects;
  if (eal.processType === 'primary') {
    const ports = selectPorts(args.portMask, '-p');
    const created = createClientServer(ports, args.numClients, args.strict);
    g = created;
    for (const note of created.notes) say(`Port ${note.slice('port '.length)}`);
    say(`Created mbuf pool '${g.pool.name}' [${g.pool.size} mbufs], ports ${ports.join(', ')}, ${args.numClients} client rings`);
  } else {
    g = lookupClientServer(eal.filePrefix);
    requireUsablePorts(g.ports);
    if (g.rings.length !== args.numClients) {
      throw new UsageError(`-n ${args.numClients} does not match this prefix's ${g.rings.length} client rings: use -n ${g.rings.length}`);
    }
    g.region.configure(args.numClients, args.strict);
  }
  const held = g.region.process('server');
  refuseIfRunning(held?.pid, held?.state, 'a server of this prefix');
  g.region.claim('server');
  // Before our first pool operation: a server killed inside one would otherwise freeze us.
  const repaired = native().repairPoolRing(g.pool);
  if (repaired.producerSlots + repaired.consumerSlots > 0) {
    say(`Repaired pool ring ${g.pool.name} left half-updated by a killed process: ${repaired.producerSlots} reserved slots dropped, ${repaired.consumerSlots} claimed entries handed back`);
  }
  const { ServerDistributor } = native();
  const loop = new ServerDistributor({
    portInfo: g.portInfo.zone,
    stats: g.region.zone,
    rings: g.rings,
    strict: args.strict,
    pool: g.pool,
    returnRings: g.returnRings,
    idle: args.idle,
  });
  onShutdown('EAL', () => {
    // A primary leaving while clients run must not close their ports.
    const clientsAlive = g.rings.some((_, i) => {
      const c = g.region.process(i);
      return c && c.state !== 'stopped' && pidAlive(c.pid);
    });
    if (eal.processType === 'primary' && clientsAlive) return;
    stopEal();
  });
  onShutdown('distribution', () => {
    loop.stop();
    g.region.setState('server', 'stopped');
    const lines = g.ports.map((p) => `Port ${p}: rx ${g.region.portRx(p)}`);
    g.rings.forEach((_, i) => lines.push(`Client ${i}: rx ${g.region.clientRx(i)}, rx_drop ${g.region.clientRxDrop(i)}`));
    say(`\n${lines.join('\n')}`);
  });
  const lcore = loop.start();
  g.region.setState('server', 'running');
  say(`Server distributing to ${args.numClients} clients on lcore ${lcore}${args.strict ? ' (strict round robin)' : ''}, idle policy ${args.idle}`);
  say('APP: Finished Process Init.');
  setInterval(() => {}, 1 << 30);
}

export async function runClient(userEal: string[], appArgs: string[]): Promise<void> {
  const { id, idle } = parseClientArgs(appArgs);
  installSignalHandlers({ stdoutClosedEnds: false });
  // Clients are secondaries only (as stock's): never become a primary by accident.
  // Clients float over every CPU: pinned next to a spinning server (or to
  // each other) on a small machine they would only run when it sleeps.
  const eal = start(hasEalOption(userEal, '--proc-type') ? userEal : [...userEal, '--proc-type=secondary'], allCpusSet());
  if (eal.processType !== 'secondary') throw new UsageError('mpsh client runs as a secondary only: start a server first');
  const g = lookupClientServer(eal.filePrefix);
  requireUsablePorts(g.ports);
  const ring = native().Ring.lookup(ringName(id));
  if (!ring) throw new UsageError(`client id ${id} is not below the server's ${g.rings.length} clients (no ring ${ringName(id)})`);
  for (const p of g.ports) {
    const q = native().portQueues(p).txQueues;
    if (id >= q) throw new UsageError(`port ${p} has ${q} TX queues: client id ${id} has none`);
  }
  const held = g.region.process(id);
  refuseIfRunning(held?.pid, held?.state, `client ${id}`);
  g.region.claim(id);
  const { ClientForwarder } = native();
  const loop = new ClientForwarder({
    clientId: id,
    ring,
    portInfo: g.portInfo.zone,
    stats: g.region.zone,
    pool: g.pool,
    returnRing: g.returnRings[id] ?? null,
    idle,
  });
  onShutdown('EAL', () => stopEal());
  onShutdown('forwarding', () => {
    loop.stop();
    g.region.setState(id, 'stopped');
    const me = g.region.process(id);
    const lines = [`Client ${id}: rx ${me?.rx ?? 0n}`];
    for (const p of g.ports) lines.push(`Port ${p}: tx ${g.portInfo.tx(id, p)}, tx_drop ${g.portInfo.txDrop(id, p)}`);
    say(`\n${lines.join('\n')}`);
  });
  loop.start();
  g.region.setState(id, 'running');
  say(`\nClient process ${id} handling packets`);
  say('[Press Ctrl-C to quit ...]');
  say('APP: Finished Process Init.');
  setInterval(() => {}, 1 << 30);
}
