/**
 * A client-server group under a shell: the shell (primary) creates the
 * ports, pool, rings and MProc_port_info, then runs the distribution loop in
 * a child `mpsh server` (a secondary, so it can be restarted while the
 * clients keep their rings) and clients as `mpsh client` children.
 */
import { UsageError } from '../../util/errors.js';
import { DEFAULT_IDLE, type IdleMode } from '../../dpdk/idlePolicy.js';
import { native } from '../../dpdk/native.js';
import { selectPorts } from '../../ports/ports.js';
import { clientName, parseProcessName, SERVER_NAME } from '../processNames.js';
import { requirePortsFree } from '../portOwners.js';
import { RoleGroup } from '../roleGroup.js';
import { isAlive, type ChildSpec } from '../supervisor.js';
import { csLayout, CsRegion, maxClients, PortInfoView, ringName } from './region.js';
import { ringSizeOf } from './ringSize.js';
import { createClientServer } from './setup.js';

export interface ServerSpawn {
  numClients: number;
  portMask?: string;
  startClients: boolean;
  strict: boolean;
  idle?: IdleMode;
  /** The client rings' size, for a group this spawn creates (default DEFAULT_RING_SIZE). */
  ringSize?: number;
}

export class ClientServerGroup extends RoleGroup {
  serverSpec(numClients: number, strict: boolean, idle: IdleMode = DEFAULT_IDLE): ChildSpec {
    return this.childSpec(SERVER_NAME, 'server', ['-n', String(numClients), ...(strict ? ['--strict-round-robin'] : []), '--idle', idle]);
  }

  clientSpec(id: number, idle: IdleMode = DEFAULT_IDLE): ChildSpec {
    return this.childSpec(clientName(id), 'client', ['-n', String(id), '--idle', idle]);
  }

  /** Creates the group (once per prefix) and starts the server; optionally every client. */
  async spawnServer(opts: ServerSpawn): Promise<{ ports: number[]; started: string[]; notes: string[] }> {
    this.requirePrimary('creates ports, pool and rings');
    if (!Number.isInteger(opts.numClients) || opts.numClients < 1 || opts.numClients > maxClients()) {
      throw new UsageError(`--clients must be 1 .. ${maxClients()}`);
    }
    const server = this.supervisor.get(SERVER_NAME);
    if (server && isAlive(server)) throw new UsageError(`the server is running (pid ${server.pid}): restart server, or kill it first`);
    requirePortsFree('client-server', 'spawn server', this.supervisor);
    let ports: number[];
    let notes: string[] = [];
    if (native().Memzone.lookup(csLayout().portInfo.zone)) {
      const region = CsRegion.open();
      if (region.numClients !== opts.numClients) {
        throw new UsageError(`this prefix's group was created for ${region.numClients} clients; spawn server --clients ${region.numClients}`);
      }
      const ring = native().Ring.lookup(ringName(0));
      const size = ring ? ringSizeOf(ring) : undefined;
      if (opts.ringSize !== undefined && size !== undefined && opts.ringSize !== size) {
        throw new UsageError(`this prefix's group was created with client rings of ${size}; spawn server --ring-size ${size}, or leave it out`);
      }
      ports = PortInfoView.lookup()?.ports ?? [];
    } else {
      ports = selectPorts({ mask: opts.portMask, option: '--portmask' }).ports;
      notes = createClientServer(ports, opts.numClients, opts.strict, opts.ringSize).notes;
    }
    // Clients first: they need only the rings, and then no packet arrives
    // before someone is there to take it.
    const started: string[] = [];
    if (opts.startClients) {
      for (let i = 0; i < opts.numClients; i++) {
        const name = clientName(i);
        const c = this.supervisor.get(name);
        if (!c || !isAlive(c)) started.push(this.supervisor.start(this.clientSpec(i, opts.idle)).spec.name);
      }
      await Promise.all(started.map((n) => this.supervisor.waitRunning(n)));
    }
    started.unshift(this.supervisor.start(this.serverSpec(opts.numClients, opts.strict, opts.idle)).spec.name);
    await this.supervisor.waitRunning(SERVER_NAME);
    return { ports, started, notes };
  }

  async spawnClient(id: number, idle: IdleMode = DEFAULT_IDLE): Promise<string> {
    const region = CsRegion.lookup();
    if (!region || !native().Memzone.lookup(csLayout().portInfo.zone)) throw new UsageError('no client-server group: spawn server --clients <N> first');
    if (!Number.isInteger(id) || id < 0 || id >= region.numClients) {
      throw new UsageError(`client id ${id} is not below the server's ${region.numClients} clients`);
    }
    const name = clientName(id);
    requirePortsFree('client-server', `spawn client ${id}`, this.supervisor);
    const c = this.supervisor.get(name);
    if (c && isAlive(c)) throw new UsageError(`${name} is running (pid ${c.pid})`);
    this.supervisor.start(this.clientSpec(id, idle));
    await this.supervisor.waitRunning(name);
    return name;
  }

  /** Restarts the server or a client (the others keep their rings and go on), with the idle policy its slot reports. */
  async restart(name: string): Promise<void> {
    const region = CsRegion.lookup();
    if (!region) throw new UsageError('no client-server group in this prefix');
    requirePortsFree('client-server', `restart ${name}`, this.supervisor);
    const named = parseProcessName(name);
    const who = named?.role === 'server' ? 'server' : (named?.id ?? NaN);
    const idle = region.process(who)?.idlePolicy?.mode;
    await this.restartChild(name, () => (who === 'server' ? this.serverSpec(region.numClients, region.strict, idle) : this.clientSpec(who, idle)));
  }

  /** Frees whatever waits in client rings (after everyone stopped), so no mbuf stays taken. */
  drainRings(): number {
    const region = CsRegion.lookup();
    if (!region) return 0;
    let freed = 0;
    for (let i = 0; i < region.numClients; i++) {
      const r = native().Ring.lookup(ringName(i));
      if (r) freed += native().drainMbufRing(r);
    }
    return freed;
  }
}
