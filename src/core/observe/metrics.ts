/**
 * Prometheus / OpenMetrics exposition of the group's counters: the same
 * figures `stats --json` prints, from the same sampler, served on
 * `/metrics` by the shell (`-- --metrics <host:port>`) or by `mpsh exporter`.
 *
 * Names start with `mpsh_`; counters end in `_total`. Labels: `process`,
 * `role`, `port`, `client`, `proc_id` where they apply. The series set
 * depends only on which processes and ports exist, never on their state.
 */
import http from 'node:http';
import net from 'node:net';
import { Counter, Gauge, Registry } from 'prom-client';
import { UsageError } from '../util/errors.js';
import type { GroupStats, ProcessRow } from './stats/types.js';
import { registerAppFamilies } from './app/appMetrics.js';

export interface ListenAddress {
  host: string;
  port: number;
}

/** `host:port` or `[v6]:port`; one clear line when it is not. */
export function parseListenAddress(text: string, option: string): ListenAddress {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s]+)):(\d{1,5})$/.exec(text);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port < 1 || port > 65535) {
    throw new UsageError(`${option} '${text}' is not <host>:<port> (e.g. 127.0.0.1:9464)`);
  }
  const host = m[1] ?? m[2]!;
  if (m[1] && net.isIPv6(host) === false) throw new UsageError(`${option} '${text}': '${host}' is not an IPv6 address`);
  // Four dotted numbers are meant as an address, not a host name to resolve.
  if (/^\d+(\.\d+){3}$/.test(host) && !net.isIPv4(host)) {
    throw new UsageError(`${option} '${text}': '${host}' is not a valid IPv4 address (each part 0..255)`);
  }
  return { host, port };
}

const procLabels = (r: ProcessRow) => ({
  process: r.name,
  role: r.role,
  proc_id: r.procId !== undefined ? String(r.procId) : '',
  client: r.client ? String(r.client.id) : '',
});

/** The metric families over a stats source; collected on every scrape. */
export function groupRegistry(latest: () => GroupStats | Promise<GroupStats>): Registry {
  const registry = new Registry();
  // One scrape collects every family within a few ms: they share one reading.
  let g: Promise<GroupStats> | undefined;
  let takenAt = 0;
  const snapshot = (): Promise<GroupStats> => {
    if (!g || Date.now() - takenAt > 100) {
      g = Promise.resolve(latest());
      takenAt = Date.now();
    }
    return g;
  };
  // Every family is filled afresh from the scrape's snapshot.
  const family =
    <M extends Counter | Gauge>(Kind: new (config: ConstructorParameters<typeof Counter>[0]) => M) =>
    (name: string, help: string, labelNames: string[], fill: (m: M, s: GroupStats) => void) =>
      new Kind({
        name,
        help,
        labelNames,
        registers: [registry],
        async collect(this: M) {
          const s = await snapshot();
          this.reset();
          fill(this, s);
        },
      } as ConstructorParameters<typeof Counter>[0]);
  const counter = family(Counter);
  const gauge = family(Gauge);
  const procPortLabels = ['process', 'role', 'proc_id', 'client', 'port'];

  gauge(
    'mpsh_process_up',
    'Whether the process runs (1) or not (0): starting, stalled, stopped, exited, dead are 0',
    ['process', 'role', 'proc_id', 'client'],
    (m, s) => {
      for (const r of s.processes) m.set(procLabels(r), r.state === 'running' || r.state === 'running (stock)' ? 1 : 0);
    },
  );
  gauge('mpsh_process_idle', 'Whether the packet loop sleeps for lack of packets (1) or polls (0)', ['process', 'role', 'proc_id', 'client'], (m, s) => {
    for (const r of s.processes) m.set(procLabels(r), r.idle ? 1 : 0);
  });
  counter('mpsh_process_rx_packets_total', 'Packets the process received from a port (symmetric worker, server)', procPortLabels, (m, s) => {
    for (const r of s.processes) if (r.role !== 'client') for (const p of r.ports) m.inc({ ...procLabels(r), port: String(p.port) }, p.rx);
  });
  counter('mpsh_process_tx_packets_total', 'Packets the process sent out of a port (symmetric worker, client)', procPortLabels, (m, s) => {
    for (const r of s.processes) if (r.role !== 'server') for (const p of r.ports) m.inc({ ...procLabels(r), port: String(p.port) }, p.tx);
  });
  counter('mpsh_process_tx_dropped_packets_total', 'Packets the port would not take from the process, freed', procPortLabels, (m, s) => {
    for (const r of s.processes) if (r.role !== 'server') for (const p of r.ports) m.inc({ ...procLabels(r), port: String(p.port) }, p.drop);
  });
  counter(
    'mpsh_client_rx_packets_total',
    "Packets the server put in the client's ring (unknown under a stock server: absent)",
    ['process', 'client'],
    (m, s) => {
      for (const r of s.processes) if (r.client && Number.isFinite(r.client.rx)) m.inc({ process: r.name, client: String(r.client.id) }, r.client.rx);
    },
  );
  counter('mpsh_client_rx_dropped_packets_total', "Packets dropped because the client's ring was full", ['process', 'client'], (m, s) => {
    for (const r of s.processes) if (r.client && Number.isFinite(r.client.rxDrop)) m.inc({ process: r.name, client: String(r.client.id) }, r.client.rxDrop);
  });
  counter('mpsh_server_no_client_dropped_packets_total', 'Packets the server dropped because no client was alive', ['process'], (m, s) => {
    for (const r of s.processes) if (r.role === 'server') m.inc({ process: r.name }, r.noClientDrop ?? 0);
  });
  counter('mpsh_port_rx_packets_total', 'Packets received on the port, summed over every process', ['port'], (m, s) => {
    for (const p of s.ports) m.inc({ port: String(p.port) }, p.rx);
  });
  counter('mpsh_port_tx_packets_total', 'Packets sent on the port, summed over every process', ['port'], (m, s) => {
    for (const p of s.ports) m.inc({ port: String(p.port) }, p.tx);
  });
  counter('mpsh_port_dropped_packets_total', 'Packets the port would not take, summed over every process', ['port'], (m, s) => {
    for (const p of s.ports) m.inc({ port: String(p.port) }, p.drop);
  });
  counter(
    'mpsh_group_dropped_packets_total',
    'Packets received on a port and dropped before any tx (client-server: ring_full, no_client); port rx = tx + dropped + these + in rings',
    ['reason'],
    (m, s) => {
      if (!s.drops) return;
      m.inc({ reason: 'ring_full' }, s.drops.ringFull);
      m.inc({ reason: 'no_client' }, s.drops.noClient);
    },
  );
  registerAppFamilies(counter, gauge);
  return registry;
}

/** An HTTP server for `/metrics` only, bound exactly where told. */
export class MetricsServer {
  private constructor(
    private readonly server: http.Server,
    readonly address: ListenAddress,
  ) {}

  /**
   * `opts.unavailable` says why there is nothing to serve yet (answered 503,
   * never 200 with an empty body); `opts.fd` is a listening socket handed
   * over by the previous image of this process (see restartAfresh).
   */
  static async listen(addr: ListenAddress, registry: Registry, opts: { unavailable?: () => string | null; fd?: number } = {}): Promise<MetricsServer> {
    const server = http.createServer((req, res) => {
      if ((req.url ?? '').split('?')[0] !== '/metrics') {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('mpsh serves /metrics only\n');
        return;
      }
      // HEAD answers as GET does, without the body (RFC 9110); anything else is 405.
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { 'content-type': 'text/plain', allow: 'GET, HEAD' }).end(`${req.method} is not allowed on /metrics: use GET\n`);
        return;
      }
      const why = opts.unavailable?.();
      if (why) {
        res.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '1' }).end(`${why}\n`);
        return;
      }
      registry
        .metrics()
        .then((body) =>
          res.writeHead(200, { 'content-type': registry.contentType, 'content-length': Buffer.byteLength(body) }).end(req.method === 'HEAD' ? undefined : body),
        )
        .catch((err: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`${err instanceof Error ? err.message : String(err)}\n`));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) => {
        const why =
          err.code === 'EADDRINUSE'
            ? 'the address is in use: pick another port'
            : err.code === 'EADDRNOTAVAIL'
              ? 'no interface of this machine has that address: use 127.0.0.1 or one of its own'
              : err.code === 'EACCES'
                ? 'permission denied: use a port above 1023'
                : err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN'
                  ? 'the host name does not resolve: give an IP address'
                  : err.message;
        reject(new UsageError(`cannot serve metrics on ${addr.host}:${addr.port}: ${why}`));
      });
      if (opts.fd !== undefined) server.listen({ fd: opts.fd }, () => resolve());
      else server.listen(addr.port, addr.host, () => resolve());
    });
    server.unref();
    return new MetricsServer(server, addr);
  }

  /** The listening socket's descriptor, to hand over to a fresh image of this process. */
  get fd(): number | undefined {
    return (this.server as unknown as { _handle?: { fd?: number } })._handle?.fd;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
