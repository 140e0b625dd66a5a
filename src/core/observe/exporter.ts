/**
 * `mpsh exporter [EAL] -- --listen <host:port>`: attaches to a prefix as a
 * secondary monitor and serves only Prometheus metrics. The thing to run
 * under systemd next to a production group, mpsh's or stock's (stock
 * clients' counters come from port_info).
 */
import { checkFilePrefix, startEal, stopEal } from '../dpdk/eal.js';
import { allCpusSet, ealOptionValue, filePrefixOf, hasEalOption } from '../dpdk/ealOptions.js';
import { restartWhenPrimaryGoes, untilPrimary } from '../dpdk/attachment.js';
import { UsageError } from '../util/errors.js';
import { takeOnce } from '../util/options.js';
import { liveReaders } from './stats/liveReaders.js';
import { GroupSampler } from './stats/sampler.js';
import { settledSample } from './stats/settled.js';
import { installSignalHandlers, isRestarting, onShutdown } from '../dpdk/lifecycle.js';
import { groupRegistry, MetricsServer, parseListenAddress } from './metrics.js';

export async function runExporter(userEal: string[], appArgs: string[]): Promise<void> {
  const { value: listen, rest } = takeOnce(appArgs, '--listen', (v) => v);
  if (rest.length > 0) throw new UsageError(`unknown exporter option '${rest[0]}': mpsh exporter [EAL options] -- --listen <host:port>`);
  if (listen === undefined) throw new UsageError('mpsh exporter needs --listen <host:port> (e.g. -- --listen 127.0.0.1:9464)');
  const address = parseListenAddress(listen, '--listen');
  // Refused before EAL runs: as a primary it would make a prefix of its own (files included) only to say no.
  const procType = ealOptionValue(userEal, '--proc-type');
  if (procType !== undefined && procType !== 'secondary')
    throw new UsageError(`mpsh exporter runs as a secondary only (got --proc-type=${procType}): leave --proc-type out; it waits for the group's primary`);
  const prefix = filePrefixOf(userEal);
  checkFilePrefix(prefix);
  installSignalHandlers();
  // Served from the start, and across the primary's restarts: until attached
  // a scrape gets 503 (Prometheus marks the target down), never an empty 200.
  const attached: { sampler?: GroupSampler } = {};
  const handedOver = process.env[LISTEN_FD_ENV];
  delete process.env[LISTEN_FD_ENV];
  const server = await MetricsServer.listen(
    address,
    groupRegistry(() => settledSample(() => attached.sampler!.sample())),
    {
      unavailable: () => (attached.sampler ? null : `mpsh exporter: no primary of file prefix '${prefix}' is running; waiting for one`),
      fd: handedOver !== undefined ? Number(handedOver) : undefined,
    },
  );
  onShutdown('metrics', () => (isRestarting() ? undefined : server.close()));
  setInterval(() => {}, 1 << 30);
  // A monitor only: it must never become the primary of the group it watches.
  const eal = await untilPrimary(hasEalOption(userEal, '--proc-type') ? userEal : [...userEal, '--proc-type=secondary'], {
    waitWhenAbsent: true,
    hint: ` (http://${listen}/metrics answers 503 until then)`,
  });
  if (eal === null) return;
  restartWhenPrimaryGoes(() => {
    const fd = server.fd;
    if (fd === undefined) return [];
    process.env[LISTEN_FD_ENV] = String(fd);
    return [fd];
  });
  const session = startEal({ userEal: eal, lcoreCount: 1, cpuFor: () => allCpusSet(), defaultVdevs: [] });
  if (session.processType !== 'secondary') throw new UsageError('mpsh exporter runs as a secondary only: start the group first');
  onShutdown('EAL', () => stopEal());
  attached.sampler = new GroupSampler(null, liveReaders());
  // Once, when there is something to serve (a re-attaching image was handed the socket: it said so before).
  if (handedOver === undefined) process.stdout.write(`serving metrics of file prefix '${prefix}' on http://${listen}/metrics\n`);
}

/** The listening socket a previous image of this exporter handed over. */
const LISTEN_FD_ENV = 'MPSH_LISTEN_FD';
