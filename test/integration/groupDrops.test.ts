/**
 * Where packets went in a client-server group: what the server drops
 * between a port's rx and any tx (a client's ring full, no client alive)
 * shows next to the port totals in `stats`, `stats --json` and /metrics,
 * so port rx adds up exactly once the server stops.
 */
import assert from 'node:assert/strict';
import { adoptPidsIn, mpshShell, removePrefixFiles, sleep, uniquePrefix } from '../../harness/proc.js';
import { freePort, scrape, value } from '../helpers/metrics.js';
import { proc, rxOf, statsOf, statsUntil, type StatsJson } from '../helpers/stats.js';

interface Drops {
  ring_full: number;
  no_client: number;
}
const drops = (s: StatsJson) => s.drops as Drops | undefined;

describe('group drops', function () {
  let prefix: string;
  beforeEach(() => (prefix = uniquePrefix('gdrop')));
  afterEach(() => removePrefixFiles(prefix));

  it('ring-full and no-client drops explain port rx against what the clients got', async () => {
    const port = await freePort();
    const sh = await mpshShell('shell', ['--file-prefix', prefix, '--', '--metrics', `127.0.0.1:${port}`]);
    adoptPidsIn(await sh.command('spawn server --clients 2 --start-clients'));
    await statsUntil(sh, (s) => (proc(s, 'client1').tx as number) > 0, 10_000, 'client1 forwarding');
    // A stopped client's ring fills: ring-full drops, until the server skips it as stalled.
    const stopped = proc(await statsOf(sh), 'client1').pid;
    process.kill(stopped, 'SIGSTOP');
    try {
      await statsUntil(sh, (s) => (drops(s)?.ring_full ?? 0) > 0, 5000, 'ring-full drops');
    } finally {
      process.kill(stopped, 'SIGCONT');
    }
    // No client left: everything the server receives is dropped for it.
    await sh.command('kill -9 client0');
    await sh.command('kill -9 client1');
    await statsUntil(sh, (s) => (drops(s)?.no_client ?? 0) > 0, 5000, 'no-client drops');
    assert.match(await sh.command('kill server'), /server stopped/);
    await sleep(300);
    const s = await statsOf(sh);
    const d = drops(s)!;
    const clientRx = ['client0', 'client1'].reduce((a, n) => a + (proc(s, n).rx as number), 0);
    assert.equal(rxOf({ ports: s.ports }), clientRx + d.ring_full + d.no_client, 'port rx = put in rings + dropped before tx');
    assert.equal(
      d.ring_full,
      ['client0', 'client1'].reduce((a, n) => a + (proc(s, n).rx_drop as number), 0),
    );
    const text = await sh.command('stats');
    assert.match(text, /\ndropped before tx: ring full \S+, no client \S+ \(port rx = tx \+ DROP \+ these \+ in rings\)/);
    const m = await scrape(port);
    assert.equal(value(m, 'mpsh_group_dropped_packets_total', { reason: 'ring_full' }), d.ring_full);
    assert.equal(value(m, 'mpsh_group_dropped_packets_total', { reason: 'no_client' }), d.no_client);
  });
});
