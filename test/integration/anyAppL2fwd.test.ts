/**
 * mpsh attached to DPDK's stock l2fwd example (built from dpdk-doc's
 * sources), forwarding between two net_null ports: its ports' counters grow
 * in stats --json, its mbuf pool is in `pools`, l2fwd is the primary in `ps`.
 */
import assert from 'node:assert/strict';
import { mpshShell, removePrefixFiles, sleep, stock, uniquePrefix } from '../../harness/proc.js';
import { standaloneExampleBinary } from '../../harness/stock.js';

interface StatsJson {
  processes: { name: string; role: string; pid: number }[];
  ports: { port: number; ethdev?: { ipackets: number; opackets: number; driver: string; xstats: Record<string, number> } }[];
}

describe('any app: stock l2fwd watched by an mpsh secondary', function () {
  this.timeout(180_000);
  let prefix: string;
  afterEach(() => removePrefixFiles(prefix));

  it('its ports, growing counters and xstats, its mbuf_pool and its primary', async () => {
    prefix = uniquePrefix('l2fwd');
    const bin = standaloneExampleBinary('l2fwd');
    // lcores 1 and 2 forward a port each (l2fwd uses its main lcore too); mpsh's own lcores start at 32.
    const app = stock('l2fwd', bin, [
      '--file-prefix',
      prefix,
      '--no-pci',
      '--lcores',
      '1@0,2@1',
      '--vdev',
      'net_null0',
      '--vdev',
      'net_null1',
      '--',
      '-p',
      '3',
      '-T',
      '0',
    ]);
    await app.waitFor(/Checking link status[\s\S]*done/, 30_000);
    const shell = await mpshShell('shell', ['--file-prefix', prefix, '--proc-type=secondary']);
    const read = async () => JSON.parse(await shell.command('stats --json', 15_000)) as StatsJson;
    const a = await read();
    await sleep(500);
    const b = await read();
    for (const port of [0, 1]) {
      const before = a.ports.find((p) => p.port === port)?.ethdev;
      const after = b.ports.find((p) => p.port === port)?.ethdev;
      assert.ok(before && after, `port ${port} missing: ${JSON.stringify(b.ports)}`);
      assert.equal(after.driver, 'net_null');
      assert.ok(after.opackets > before.opackets, `port ${port} tx grows while l2fwd forwards`);
      assert.ok(after.xstats.rx_good_packets! >= after.ipackets, 'xstats read');
    }
    assert.equal(b.processes.find((p) => p.role === 'primary')?.pid, app.pid);
    assert.match(await shell.command('pools'), /^mbuf_pool: \d+ in use, \d+ available, \d+ total \(ring_mp_mc/m);
    assert.match(await shell.command('ps'), new RegExp(`\\S+\\s+primary\\s+${app.pid}\\s+running`));
    await shell.stop();
    await app.stop();
  });
});
