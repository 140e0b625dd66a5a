/**
 * `mpsh exporter [EAL] -- --listen <host:port>`: attaches to a prefix as a
 * secondary monitor and serves only Prometheus metrics. The thing to run
 * under systemd next to a production group, mpsh's or stock's (stock
 * clients' counters come from port_info).
 */
import { startEal, stopEal } from '../dpdk/eal.js';
import { allCpusSet, hasEalOption } from '../dpdk/ealOptions.js';
import { UsageError } from '../util/errors.js';
import { liveReaders } from './stats/liveReaders.js';
import { GroupSampler } from './stats/sampler.js';
import { settledSample } from './stats/settled.js';
import { installSignalHandlers, onShutdown } from '../dpdk/lifecycle.js';
import { groupRegistry, MetricsServer, parseListenAddress } from './metrics.js';

export async function runExporter(userEal: string[], appArgs: string[]): Promise<void> {
  let listen: string | undefined;
  for (let i = 0; i < appArgs.length; i++) {
    const a = appArgs[i]!;
    if ((a === '--listen' || a.startsWith('--listen=')) && listen !== undefined) {
      throw new UsageError(`--listen given twice ('${listen}', then '${a === '--listen' ? (appArgs[i + 1] ?? '') : a.slice(9)}'): give it once`);
    }
    if (a === '--listen') listen = appArgs[++i];
    else if (a.startsWith('--listen=')) listen = a.slice('--listen='.length);
    else throw new UsageError(`unknown exporter option '${a}': mpsh exporter [EAL options] -- --listen <host:port>`);
  }
  if (listen === undefined) throw new UsageError('mpsh exporter needs --listen <host:port> (e.g. -- --listen 127.0.0.1:9464)');
  const address = parseListenAddress(listen, '--listen');
  installSignalHandlers();
  // A monitor only: it must never become the primary of the group it watches.
  const eal = startEal({
    userEal: hasEalOption(userEal, '--proc-type') ? userEal : [...userEal, '--proc-type=secondary'],
    lcoreCount: 1,
    cpuFor: () => allCpusSet(),
    defaultVdevs: [],
  });
  if (eal.processType !== 'secondary') throw new UsageError('mpsh exporter runs as a secondary only: start the group first');
  onShutdown('EAL', () => stopEal());
  const sampler = new GroupSampler(null, liveReaders());
  const server = await MetricsServer.listen(
    address,
    groupRegistry(() => settledSample(() => sampler.sample())),
  );
  onShutdown('metrics', () => server.close());
  process.stdout.write(`serving metrics of file prefix '${eal.filePrefix}' on http://${listen}/metrics\n`);
  setInterval(() => {}, 1 << 30);
}
