/**
 * mpsh attached as a secondary to Debian's dpdk-testpmd (not one of mpsh's
 * roles): its ports' counters, xstats, pools and processes read by mpsh are
 * what dpdk-proc-info reads at the same quiescent moment (forwarding
 * stopped).
 */
import assert from 'node:assert/strict';
import { mpshShell, removePrefixFiles, uniquePrefix, type Proc } from '../../harness/proc.js';
import { forwardThenStop, procInfoStats, procInfoXstats, startTestpmd } from '../../harness/testpmd.js';

interface EthdevJson {
  name: string;
  driver: string;
  ipackets: number;
  opackets: number;
  ierrors: number;
  oerrors: number;
  rx_nombuf: number;
  queues: { rx: { packets: number }[]; tx: { packets: number }[] };
  xstats: Record<string, number>;
}
interface StatsJson {
  processes: { name: string; role: string; pid: number; state: string; command?: string }[];
  ports: { port: number; ethdev?: EthdevJson }[];
  pools: { name: string; size: number; in_use: number; available: number; ops: string; ops_verified: boolean }[];
  rings: { name: string; capacity: number; count: number }[];
  memzones: { name: string }[];
}

describe('any app: testpmd watched by an mpsh secondary', function () {
  this.timeout(120_000);
  let prefix: string;
  let testpmd: Proc;
  let shell: Proc;

  // The root hooks stop every process after each test: each starts its own.
  beforeEach(async () => {
    prefix = uniquePrefix('anyapp');
    testpmd = await startTestpmd(prefix);
    await forwardThenStop(testpmd, 300);
    shell = await mpshShell('shell', ['--file-prefix', prefix, '--proc-type=secondary']);
  });
  afterEach(async () => {
    await shell?.stop();
    await testpmd?.stop();
    removePrefixFiles(prefix);
  });

  const statsJson = async () => JSON.parse(await shell.command('stats --json', 15_000)) as StatsJson;

  it('reads the same port counters and xstats as dpdk-proc-info', async () => {
    const s = await statsJson();
    const theirs = procInfoStats(prefix);
    const theirXstats = procInfoXstats(prefix);
    assert.deepEqual([...theirs.keys()], [0, 1]);
    for (const [port, want] of theirs) {
      const e = s.ports.find((p) => p.port === port)?.ethdev;
      assert.ok(e, `port ${port} missing from stats --json: ${JSON.stringify(s.ports)}`);
      assert.equal(e.driver, 'net_null');
      assert.ok(want.ipackets! > 0n, 'testpmd forwarded nothing');
      for (const k of ['ipackets', 'opackets', 'ierrors', 'oerrors'] as const) assert.equal(BigInt(e[k]), want[k], `port ${port} ${k}`);
      assert.equal(BigInt(e.rx_nombuf), want.rxNombuf, `port ${port} rx_nombuf`);
      assert.equal(BigInt(e.queues.rx[0]!.packets), want.ipackets, 'per-queue rx');
      const xs = theirXstats.get(port)!;
      assert.ok(xs.size > 5, 'proc-info lists xstats');
      assert.deepEqual(Object.keys(e.xstats), [...xs.keys()], 'xstat names in id order');
      for (const [name, v] of xs) assert.equal(BigInt(e.xstats[name]!), v, `port ${port} xstat ${name}`);
    }
  });

  it('lists testpmd as the primary, its mbuf pool with its real ops, its rings and memzones', async () => {
    const s = await statsJson();
    const primary = s.processes.find((p) => p.role === 'primary');
    assert.equal(primary?.pid, testpmd.pid);
    assert.equal(primary?.name, 'dpdk-testpmd');
    assert.match(primary?.command ?? '', /--file-prefix/);
    const pool = s.pools.find((p) => p.name === 'mb_pool_0');
    assert.ok(pool, `mb_pool_0 missing: ${JSON.stringify(s.pools)}`);
    // testpmd's ops: ring_mp_mc, read off the ring's flags (proc-info prints its own table's name for the index).
    assert.equal(pool.ops, 'ring_mp_mc');
    assert.equal(pool.ops_verified, true);
    assert.equal(pool.in_use + pool.available, pool.size);
    assert.ok(s.rings.some((r) => r.name === 'MP_mb_pool_0'));
    assert.ok(s.memzones.some((z) => z.name === 'rte_eth_dev_data'));
  });

  it('shows them in ps, pools and show port', async () => {
    assert.match(await shell.command('ps'), new RegExp(`dpdk-testpmd\\s+primary\\s+${testpmd.pid}\\s+running`));
    assert.match(await shell.command('pools'), /^mb_pool_0: \d+ in use, \d+ available, \d+ total \(ring_mp_mc, cache 250 per lcore/m);
    const shown = await shell.command('show port 0', 15_000);
    assert.match(shown, /^port 0 net_null0\n {2}driver net_null/);
    assert.match(shown, /xstats \(\d+\):\n\s+rx_good_packets\s+\d+/);
    assert.match(await shell.command('show port 9'), /no port 9 in this prefix/);
  });
});
