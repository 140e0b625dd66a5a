/**
 * Prometheus for any app: `mpsh exporter` attached to dpdk-testpmd exports
 * its ports (totals, per queue, xstats), mempools, rings and processes,
 * promtool-clean and equal to dpdk-proc-info at rest; the shipped alerting
 * rules pass their promtool unit tests; an mpsh primary answers DPDK
 * telemetry for every mempool (with objects in use) and ring.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { mpsh, mpshShell, removePrefixFiles, repoRoot, uniquePrefix } from '../../harness/proc.js';
import { forwardThenStop, procInfoStats, startTestpmd } from '../../harness/testpmd.js';
import { freePort, scrape, value } from '../helpers/metrics.js';
import { telemetry } from '../helpers/telemetry.js';

describe('any app: Prometheus and telemetry', function () {
  this.timeout(120_000);

  it('mpsh exporter next to testpmd: promtool-clean samples for its ports, pool, ring and primary, equal to proc-info', async () => {
    const prefix = uniquePrefix('anyprom');
    try {
      const testpmd = await startTestpmd(prefix);
      await forwardThenStop(testpmd, 300);
      const port = await freePort();
      const exp = mpsh('exporter', ['exporter', '--file-prefix', prefix, '--', '--listen', `127.0.0.1:${port}`]);
      await exp.waitFor(/serving metrics of file prefix/, 20_000);
      const text = await scrape(port);
      const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
      assert.equal(check.status, 0, `promtool: ${check.stdout}${check.stderr}`);
      for (const [p, want] of procInfoStats(prefix)) {
        const labels = { port: String(p), name: `net_null${p}` };
        assert.equal(value(text, 'mpsh_ethdev_rx_packets_total', labels), Number(want.ipackets), `port ${p} rx`);
        assert.equal(value(text, 'mpsh_ethdev_tx_packets_total', labels), Number(want.opackets), `port ${p} tx`);
        assert.equal(value(text, 'mpsh_ethdev_rx_nombuf_total', labels), Number(want.rxNombuf));
        assert.equal(value(text, 'mpsh_ethdev_queue_rx_packets_total', { ...labels, queue: '0' }), Number(want.ipackets));
        assert.equal(value(text, 'mpsh_ethdev_xstat', { ...labels, xstat: 'rx_good_packets' }), Number(want.ipackets));
        assert.equal(value(text, 'mpsh_ethdev_link_up', labels), 1);
      }
      assert.equal(value(text, 'mpsh_mempool_size', { pool: 'mb_pool_0' }), 155456);
      assert.ok(value(text, 'mpsh_ring_capacity', { ring: 'MP_mb_pool_0' })! > 0);
      assert.equal(value(text, 'mpsh_app_process_up', { process: 'dpdk-testpmd', role: 'primary' }), 1);
      // Every sample line is a bounded family: at most 128 xstats per port.
      const xstatLines = text.split('\n').filter((l) => l.startsWith('mpsh_ethdev_xstat{port="0"'));
      assert.ok(xstatLines.length > 5 && xstatLines.length <= 128, `${xstatLines.length} xstat series for port 0`);
      exp.signal('SIGTERM');
      await exp.waitExit();
      await testpmd.stop();
    } finally {
      removePrefixFiles(prefix);
    }
  });

  it('the shipped alerting rules are valid and pass promtool test rules', () => {
    const dir = path.join(repoRoot, 'deploy/prometheus');
    const check = spawnSync('promtool', ['check', 'rules', 'mpsh-alerts.yml'], { cwd: dir, encoding: 'utf8' });
    assert.equal(check.status, 0, check.stdout + check.stderr);
    const test = spawnSync('promtool', ['test', 'rules', 'mpsh-alerts.test.yml'], { cwd: dir, encoding: 'utf8' });
    assert.equal(test.status, 0, test.stdout + test.stderr);
    assert.match(test.stdout, /SUCCESS/);
  });

  it('an mpsh primary answers /mpsh/mempools (in use, ops by name) and /mpsh/rings to dpdk-telemetry.py', async () => {
    const prefix = uniquePrefix('anytel');
    try {
      const shell = await mpshShell('shell', ['--file-prefix', prefix]);
      const pools = telemetry(prefix, '/mpsh/mempools') as Record<string, { size: number; in_use: number; available: number; ops: string }>;
      assert.equal(pools.MSG_POOL?.in_use, 0);
      assert.equal(pools.MSG_POOL.available, pools.MSG_POOL.size);
      assert.equal(pools.MSG_POOL.ops, 'ring_mp_mc');
      const rings = telemetry(prefix, '/mpsh/rings') as Record<string, { count: number; capacity: number }>;
      assert.ok(rings.PRI_2_SEC && rings.PRI_2_SEC.capacity > 0, JSON.stringify(rings));
      assert.equal(rings.PRI_2_SEC.count, 0);
      await shell.stop();
    } finally {
      removePrefixFiles(prefix);
    }
  });
});
