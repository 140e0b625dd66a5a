/**
 * `mpsh server` and `mpsh client`: drop-ins for dpdk-mp_server and
 * dpdk-mp_client, with their loops in C++ on a DPDK lcore. A server started
 * as primary creates the group as the stock one does; started as a
 * secondary (by a shell that created the group) it only distributes, so it
 * can be restarted without touching its clients.
 */
import os from 'node:os';
import type { EalSession } from '../../dpdk/eal.js';
import { allCpusSet, hasEalOption } from '../../dpdk/ealOptions.js';
import { UsageError } from '../../util/errors.js';
import type { IdleMode } from '../../dpdk/idlePolicy.js';
import { native } from '../../dpdk/native.js';
import { pidAlive } from '../../os/pids.js';
import { requireUsablePorts, selectPorts } from '../../ports/ports.js';
import { runRole, say, type RoleProcess } from '../roleRunner.js';
import { parseClientArgs, parseServerArgs, type ClientArgs, type ServerArgs } from './args.js';
import { ringName } from './region.js';
import { createClientServer, lookupClientServer, type ClientServerObjects } from './setup.js';

function serverRole(args: ServerArgs, eal: EalSession): RoleProcess {
  let g: ClientServerObjects;
  if (eal.processType === 'primary') {
    const { ports } = selectPorts({ mask: args.portMask, option: '-p' });
    const created = createClientServer(ports, args.numClients, args.strict, args.ringSize);
    g = created;
    for (const note of created.notes) say(`Port ${note.slice('port '.length)}`);
    say(`Created mbuf pool '${g.pool.name}' [${g.pool.size} mbufs], ports ${ports.join(', ')}, ${args.numClients} client rings of ${g.ringSize}`);
  } else {
    g = lookupClientServer(eal.filePrefix);
    requireUsablePorts(g.ports);
    if (g.rings.length !== args.numClients) {
      throw new UsageError(`-n ${args.numClients} does not match this prefix's ${g.rings.length} client rings: use -n ${g.rings.length}`);
    }
    if (args.ringSize !== undefined && args.ringSize !== g.ringSize) {
      throw new UsageError(`--ring-size ${args.ringSize} does not match this prefix's client rings of ${g.ringSize} (the primary made them): leave it out`);
    }
    g.region.configure(args.numClients, args.strict);
  }
  const { region } = g;
  return {
    held: region.process('server'),
    busy: (pid) => `a server of this prefix is already running (pid ${pid})`,
    claim: () => region.claim('server'),
    setState: (state) => region.setState('server', state),
    loop() {
      // Before our first pool operation: a server killed inside one would otherwise freeze us.
      const repaired = native().repairPoolRing(g.pool);
      if (repaired.producerSlots + repaired.consumerSlots > 0) {
        say(
          `Repaired pool ring ${g.pool.name} left half-updated by a killed process: ${repaired.producerSlots} reserved slots dropped, ${repaired.consumerSlots} claimed entries handed back`,
        );
      }
      const { portInfo, rings, pool, returnRings } = g;
      return new (native().ServerDistributor)({ portInfo: portInfo.zone, stats: region.zone, rings, strict: args.strict, pool, returnRings, idle: args.idle });
    },
    loopName: 'distribution',
    othersRunning: () =>
      g.rings.some((_, i) => {
        const c = region.process(i);
        return c !== null && c.state !== 'stopped' && pidAlive(c.pid);
      }),
    started: (lcores) => [
      `Server distributing to ${args.numClients} clients (rings of ${g.ringSize}) on lcore ${lcores[0]}${args.strict ? ' (strict round robin)' : ''}, idle policy ${args.idle}`,
    ],
    report() {
      const lines = g.ports.map((p) => `Port ${p}: rx ${region.portRx(p)}`);
      g.rings.forEach((_, i) => lines.push(`Client ${i}: rx ${region.clientRx(i)}, rx_drop ${region.clientRxDrop(i)}`));
      return `\n${lines.join('\n')}\n`;
    },
  };
}

function clientRole({ id, idle }: ClientArgs, eal: EalSession): RoleProcess {
  if (eal.processType !== 'secondary') throw new UsageError('mpsh client runs as a secondary only: start a server first');
  const g = lookupClientServer(eal.filePrefix);
  requireUsablePorts(g.ports);
  const ring = native().Ring.lookup(ringName(id));
  if (!ring) throw new UsageError(`client id ${id} is not below the server's ${g.rings.length} clients (no ring ${ringName(id)})`);
  for (const p of g.ports) {
    const q = native().portQueues(p).txQueues;
    if (id >= q) throw new UsageError(`port ${p} has ${q} TX queues: client id ${id} has none`);
  }
  const { region, portInfo } = g;
  return {
    held: region.process(id),
    busy: (pid) => `client ${id} is already running (pid ${pid})`,
    claim: () => region.claim(id),
    setState: (state) => region.setState(id, state),
    loop: () =>
      new (native().ClientForwarder)({
        clientId: id,
        ring,
        portInfo: portInfo.zone,
        stats: region.zone,
        pool: g.pool,
        returnRing: g.returnRings[id] ?? null,
        idle,
      }),
    loopName: 'forwarding',
    started: () => [`\nClient process ${id} handling packets`, '[Press Ctrl-C to quit ...]'],
    report() {
      const lines = [`Client ${id}: rx ${region.process(id)?.rx ?? 0n}`];
      for (const p of g.ports) lines.push(`Port ${p}: tx ${portInfo.tx(id, p)}, tx_drop ${portInfo.txDrop(id, p)}`);
      return `\n${lines.join('\n')}\n`;
    },
  };
}

export async function runServer(userEal: string[], appArgs: string[]): Promise<void> {
  const args = parseServerArgs(appArgs);
  await runRole({ userEal, forwardingCpu: '0', setup: (eal) => serverRole(args, eal) });
}

export async function runClient(userEal: string[], appArgs: string[]): Promise<void> {
  const args = parseClientArgs(appArgs);
  // Clients are secondaries only (as stock's): never become a primary by accident.
  const eal = hasEalOption(userEal, '--proc-type') ? userEal : [...userEal, '--proc-type=secondary'];
  await runRole({ userEal: eal, forwardingCpu: clientCpus(args.idle), setup: (e) => clientRole(args, e) });
}

/**
 * Where a client's loop runs. A client that polls (`poll`, or `adaptive`
 * after traffic and around forecast arrivals) floats over every CPU but the
 * server's (0): next to the server, the scheduler often puts the client its
 * futex woke on the server's CPU, and each waits out the other's polling.
 * An `interrupt` client never polls while idle, and is woken faster on its
 * waker's CPU (no IPI to a halted one): it floats over every CPU. Measured
 * on tap ports, 2 CPUs, ping through 1 server + 1 client, median RTT:
 * adaptive 46-85 us off CPU 0 against 79-118 floating, poll 32-48 against
 * 54, interrupt 162-182 off CPU 0 against 118-131 floating.
 */
export function clientCpus(idle: IdleMode): string {
  const n = os.availableParallelism();
  if (idle === 'interrupt' || n <= 1) return n <= 1 ? '0' : allCpusSet();
  return n === 2 ? '1' : `(1-${n - 1})`;
}
