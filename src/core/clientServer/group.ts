/**
 * A client-server group under a shell: the shell (primary) creates the
 * ports, pool, rings and MProc_port_info, then runs the distribution loop in
 * a child `mpsh server` (a secondary, so it can be restarted while the
 * clients keep their rings) and clients as `mpsh client` children.
 */
import type { EalSession } from '../eal.js';
import { UsageError } from '../errors.js';
import { native } from '../native.js';
import { isAlive, type ChildSpec, type Supervisor } from '../supervisor.js';
import { MAX_CLIENTS } from './args.js';
import { csLayout, CsRegion, PortInfoView } from './region.js';
import { createClientServer, selectPorts } from './setup.js';
import { DEFAULT_IDLE, type IdleMode } from '../idlePolicy.js';

export const CS_READY = /Finished Process Init/;

export interface ServerSpawn {
  numClients: number;
  portMask?: string;
  startClients: boolean;
  strict: boolean;
  idle?: IdleMode;
}

export class ClientServerGroup {
  constructor(
    private readonly supervisor: Supervisor,
    private readonly eal: EalSession,
  ) {}

  private base(role: string): string[] {
    return [role, '--file-prefix', this.eal.filePrefix, '--proc-type=secondary', '--'];
  }

  serverSpec(numClients: number, strict: boolean, idle: IdleMode = DEFAULT_IDLE): ChildSpec {
    return { name: 'server', role: 'server', args: [...this.base('server'), '-n', String(numClients), ...(strict ? ['--strict-round-robin'] : []), '--idle', idle], ready: CS_READY };
  }

  clientSpec(id: number, idle: IdleMode = DEFAULT_IDLE): ChildSpec {
    return { name: `client${id}`, role: 'client', args: [...this.base('client'), '-n', String(id), '--idle', idle], ready: CS_READY };
  }

  /** Creates the group (once per prefix) and starts the server; optionally every client. */
  async spawnServer(opts: ServerSpawn): Promise<{ ports: number[]; started: string[]; notes: string[] }> {
    if (this.eal.processType !== 'primary') {
      throw new UsageError(`spawn needs this shell to be the primary of prefix '${this.eal.filePrefix}' (it creates ports, pool and rings); this one is a secondary`);
    }
    if (!Number.isInteger(opts.numClients) || opts.numClients < 1 || opts.numClients > MAX_CLIENTS) {
      throw new UsageError(`--clients must be 1 .. ${MAX_CLIENTS}`);
    }
    const server = this.supervisor.get('server');
    if (server && isAlive(server)) throw new UsageError(`the server is running (pid ${server.pid}): restart server, or kill it first`);
    const busy = this.supervisor.list().filter((c) => c.spec.role === 'symmetric' && isAlive(c));
    if (busy.length > 0) throw new UsageError(`symmetric workers use the ports (${busy.map((c) => c.spec.name).join(', ')}): kill them first`);
    let ports: number[];
    let notes: string[] = [];
    if (native().Memzone.lookup(csLayout().portInfo.zone)) {
      const region = CsRegion.open();
      if (region.numClients !== opts.numClients) {
        throw new UsageError(`this prefix's group was created for ${region.numClients} clients; spawn server --clients ${region.numClients}`);
      }
      ports = PortInfoView.lookup()?.ports ?? [];
    } else {
      ports = selectPorts(opts.portMask, '--portmask');
      notes = createClientServer(ports, opts.numClients, opts.strict).notes;
    }
    // Clients first: they need only the rings, and then no packet arrives
    // before someone is there to take it.
    const started: string[] = [];
    if (opts.startClients) {
      for (let i = 0; i < opts.numClients; i++) {
        const name = `client${i}`;
        const c = this.supervisor.get(name);
        if (!c || !isAlive(c)) started.push(this.supervisor.start(this.clientSpec(i, opts.idle)).spec.name);
      }
      await Promise.all(started.map((n) => this.supervisor.waitRunning(n)));
    }
    started.unshift(this.supervisor.start(this.serverSpec(opts.numClients, opts.strict, opts.idle)).spec.name);
    await this.supervisor.waitRunning('server');
    return { ports, started, notes };
  }

  async spawnClient(id: number, idle: IdleMode = DEFAULT_IDLE): Promise<string> {
    const region = CsRegion.lookup();
    if (!region || !native().Memzone.lookup(csLayout().portInfo.zone)) throw new UsageError('no client-server group: spawn server --clients <N> first');
    if (!Number.isInteger(id) || id < 0 || id >= region.numClients) {
      throw new UsageError(`client id ${id} is not below the server's ${region.numClients} clients`);
    }
    const name = `client${id}`;
    const c = this.supervisor.get(name);
    if (c && isAlive(c)) throw new UsageError(`${name} is running (pid ${c.pid})`);
    this.supervisor.start(this.clientSpec(id, idle));
    await this.supervisor.waitRunning(name);
    return name;
  }

  /** Restarts the server or a client (the others keep their rings and go on). */
  async restart(name: string): Promise<void> {
    const region = CsRegion.lookup();
    if (!region) throw new UsageError('no client-server group in this prefix');
    const child = this.supervisor.get(name);
    const slot = region.process(name === 'server' ? 'server' : Number(name.slice('client'.length)));
    const idle = slot?.idlePolicy?.mode;
    const spec = child?.spec ?? (name === 'server' ? this.serverSpec(region.numClients, region.strict, idle) : this.clientSpec(Number(name.slice('client'.length)), idle));
    if (child && isAlive(child)) await this.supervisor.stop(name);
    this.supervisor.start(spec);
    await this.supervisor.waitRunning(name);
  }

  /** Frees whatever waits in client rings (after everyone stopped), so no mbuf stays taken. */
  drainRings(): number {
    const region = CsRegion.lookup();
    if (!region) return 0;
    let freed = 0;
    for (let i = 0; i < region.numClients; i++) {
      const r = native().Ring.lookup(`MProc_Client_${i}_RX`);
      if (r) freed += native().drainMbufRing(r);
    }
    return freed;
  }
}
