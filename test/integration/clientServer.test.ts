/**
 * client_server_mp from the shell on real ports: exact accounting with
 * net_pcap (every input packet leaves exactly once on the paired port), and
 * crash, restart and liveness-aware distribution under net_null load.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { adopt, mpsh, mpshShell, type Proc, removePrefixFiles, sleep, uniquePrefix } from '../../harness/proc.js';
import { packetId, readPcap, udpPacket, writePcap } from '../../harness/pcap.js';
import { proc, statsOf, statsUntil, type ProcessJson, type StatsJson } from '../helpers/stats.js';

const shell = (args: string[], cwd?: string) => mpshShell('shell', args, { cwd });

const adoptAll = (out: string) => [...out.matchAll(/\(pid (\d+)\)/g)].forEach((m) => adopt(Number(m[1])));
const num = (p: ProcessJson, k: string) => p[k] as number;
const serverRx = (s: StatsJson) => proc(s, 'server').ports.reduce((a, p) => a + p.rx, 0);

describe('client-server: exact accounting on net_pcap', function () {
  let dir: string;
  let prefix: string;
  beforeEach(() => {
    prefix = uniquePrefix('cspcap');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpsh-cs-'));
  });
  afterEach(() => {
    removePrefixFiles(prefix);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const forwarded = (x: StatsJson) => ['client0', 'client1'].reduce((n, c) => n + num(proc(x, c), 'tx') + num(proc(x, c), 'tx_drop'), 0);

  /**
   * A shell on two pcap ports whose files hold `a` and `b` packets, the
   * group spawned with `spawn`, and its stats once every packet is handled.
   */
  async function handleAll(a: number, b: number, spawn: string): Promise<{ sh: Proc; out: string; s: StatsJson }> {
    writePcap(
      path.join(dir, 'a'),
      Array.from({ length: a }, (_, i) => udpPacket(1, i)),
    );
    writePcap(
      path.join(dir, 'b'),
      Array.from({ length: b }, (_, i) => udpPacket(2, i)),
    );
    // One rx file per port (the server reads queue 0); a tx queue per client, written to /dev/null.
    const sink = 'tx_pcap=/dev/null,tx_pcap=/dev/null';
    const sh = await shell(['--file-prefix', prefix, `--vdev=net_pcap0,rx_pcap=a,${sink}`, `--vdev=net_pcap1,rx_pcap=b,${sink}`], dir);
    const out = await sh.command(spawn);
    adoptAll(out);
    const total = a + b;
    const s = await statsUntil(
      sh,
      (x) => serverRx(x) >= total && forwarded(x) + num(proc(x, 'client0'), 'rx_drop') + num(proc(x, 'client1'), 'rx_drop') >= total,
      20_000,
      `all ${total} packets handled`,
    );
    return { sh, out, s };
  }

  it('2 clients: server rx = packets in the files, every packet accounted for once, tx + tx_drop = rx', async () => {
    const { sh, out, s } = await handleAll(1200, 800, 'spawn server --clients 2 --start-clients');
    assert.match(out, /serving 2 clients on ports 0, 1: server \(pid \d+\), client0 \(pid \d+\), client1 \(pid \d+\)/);
    assert.equal(serverRx(s), 2000);
    const c0 = proc(s, 'client0');
    const c1 = proc(s, 'client1');
    // The server reads the files far faster than idle clients wake; with
    // rings of 2048 (2047 each) the 1,000 a client gets fit, but what a ring
    // could not take would be dropped at the ring and counted, never lost.
    const drops = num(c0, 'rx_drop') + num(c1, 'rx_drop');
    assert.equal(num(c0, 'rx') + num(c1, 'rx') + drops + num(proc(s, 'server'), 'no_client_drop'), 2000);
    assert.ok(Math.abs(num(c0, 'rx') + num(c0, 'rx_drop') - num(c1, 'rx') - num(c1, 'rx_drop')) <= 32, 'round robin shares evenly');
    for (const c of [c0, c1]) assert.equal(num(c, 'tx') + num(c, 'tx_drop'), num(c, 'rx'), `${c.name}: tx + tx_drop = rx`);
    sh.write('quit');
    await sh.waitFor(/stopped server, client0, client1/);
    assert.equal((await sh.waitExit()).code, 0);
  });

  it('--ring-size 512: the rings and the pool have the size asked for, packets flow, a later spawn cannot change it', async () => {
    const { sh, s } = await handleAll(600, 400, 'spawn server --clients 2 --start-clients --ring-size 512');
    assert.equal(serverRx(s), 1000);
    for (const c of [proc(s, 'client0'), proc(s, 'client1')]) {
      assert.ok(num(c, 'rx') > 0, `${c.name} got packets`);
      assert.equal(num(c, 'tx') + num(c, 'tx_drop'), num(c, 'rx'), `${c.name}: tx + tx_drop = rx`);
    }
    const pools = await sh.command('pools');
    assert.match(pools, /^ {2}client rings: 2 of size 512 \(511 packets each\), \d+ waiting$/m);
    // Stock's formula with rings of 512: 1024 x 2 ports + 2 x (512 + 1024 x 2) + 3 x 512.
    assert.match(pools, /^MProc_pktmbuf_pool: \d+ in use, \d+ available, 8704 total/m);
    assert.match(await sh.command('show client0'), /ring MProc_Client_0_RX: \d+ of 511 entries/);
    // The group keeps its rings: a later spawn asking for another size is told so, and changes nothing.
    assert.match(await sh.command('kill server'), /server stopped/);
    assert.equal(
      await sh.command('spawn server --clients 2 --ring-size 1024'),
      "spawn: this prefix's group was created with client rings of 512; spawn server --ring-size 512, or leave it out",
    );
    assert.match(await sh.command('pools'), /client rings: 2 of size 512/);
    sh.write('quit');
    assert.equal((await sh.waitExit()).code, 0);
  });

  it('captured output: every input packet leaves exactly once, on the paired port', async () => {
    // Fewer packets than a client ring holds, so the clients' slower pcap writes cannot cause drops.
    const a = Array.from({ length: 120 }, (_, i) => udpPacket(1, i));
    const b = Array.from({ length: 80 }, (_, i) => udpPacket(2, i));
    writePcap(path.join(dir, 'a'), a);
    writePcap(path.join(dir, 'b'), b);
    // One tx file per client queue: each client writes only its own.
    const sh = await shell(
      ['--file-prefix', prefix, '--vdev=net_pcap0,rx_pcap=a,tx_pcap=x0,tx_pcap=x1', '--vdev=net_pcap1,rx_pcap=b,tx_pcap=y0,tx_pcap=y1'],
      dir,
    );
    adoptAll(await sh.command('spawn server --clients 2 --start-clients'));
    const s = await statsUntil(sh, (x) => forwarded(x) >= 200, 20_000, 'all 200 packets sent');
    assert.equal(forwarded(s), 200);
    assert.equal(num(proc(s, 'client0'), 'rx') + num(proc(s, 'client1'), 'rx'), 200, 'no drops: the clients keep up');
    assert.equal(
      ['client0', 'client1'].reduce((n, c) => n + num(proc(s, c), 'tx_drop') + num(proc(s, c), 'rx_drop'), 0),
      0,
    );
    const ids = (files: string[]) =>
      files
        .flatMap((f) => readPcap(path.join(dir, f)))
        .map(packetId)
        .sort();
    assert.deepEqual(ids(['y0', 'y1']), a.map(packetId).sort());
    assert.deepEqual(ids(['x0', 'x1']), b.map(packetId).sort());
  });
});

describe('client-server: net_null under load', function () {
  let prefix: string;
  beforeEach(() => (prefix = uniquePrefix('csnull')));
  afterEach(() => removePrefixFiles(prefix));

  const growing = async (sh: Proc, name: string, field: string) => {
    const before = num(proc(await statsOf(sh), name), field);
    await sleep(300);
    return statsUntil(sh, (s) => num(proc(s, name), field) > before, 5000, `${name} ${field} growing`);
  };
  const still = async (sh: Proc, name: string, field: string) => {
    const a = num(proc(await statsOf(sh), name), field);
    await sleep(500);
    return num(proc(await statsOf(sh), name), field) === a;
  };

  const inUse = async (sh: Proc) => {
    const m = /MProc_pktmbuf_pool: (\d+) in use/.exec(await sh.command('pools'));
    assert.ok(m, 'pools lists the client-server pool');
    return Number(m[1]);
  };
  const stopAll = async (sh: Proc) => {
    for (const name of ['server', 'client0', 'client1']) assert.match(await sh.command(`kill ${name}`), new RegExp(`${name} stopped`));
  };

  const returned = async (sh: Proc) => {
    const m = /return rings: (\d+), (\d+) waiting \(([^)]*)\), (\d+) returned, \d+ reclaimed from killed processes' caches, (\d+) dropped/.exec(
      await sh.command('pools'),
    );
    assert.ok(m, 'pools shows the return rings');
    return { rings: Number(m[1]), by: m[3], returned: Number(m[4]), dropped: Number(m[5]) };
  };

  it('kill -9 of a client: the rest go on, its rx_drop stops growing, restart brings it back', async () => {
    const sh = await shell(['--file-prefix', prefix]);
    adoptAll(await sh.command('spawn server --clients 2 --start-clients'));
    await growing(sh, 'client0', 'tx');
    await growing(sh, 'client1', 'tx');
    // Why a kill cannot freeze client0: the clients hand every sent mbuf back
    // through return rings of their own and never touch the pool's shared
    // ring, where a producer killed mid-enqueue would block all others.
    const r = await returned(sh);
    assert.equal(r.rings, 2);
    assert.equal(r.by, 'drained by the server');
    assert.ok(r.returned > 0, 'clients return mbufs through their return rings');
    const victim = proc(await statsOf(sh), 'client1').pid;
    process.kill(victim, 'SIGKILL');
    await sh.waitFor(/client1 \(pid \d+\) killed \(SIGKILL\)/, 3000);
    await sleep(200);
    assert.ok(await still(sh, 'client1', 'rx_drop'), 'the dead client costs no more traffic');
    assert.ok(await still(sh, 'client1', 'rx'));
    assert.equal(proc(await statsOf(sh), 'client1').skipped, true);
    await growing(sh, 'client0', 'tx');

    const restarted = await sh.command('restart client1');
    adoptAll(restarted);
    assert.match(restarted, /client1 restarted \(pid \d+\)/);
    await growing(sh, 'client1', 'tx');
    assert.equal(proc(await statsOf(sh), 'client1').skipped, false);

    // What the killed client held in private died with it, as it would with
    // stock: one burst taken from its ring and one TX buffer per port
    // (32 + 2 x 32), what the PMD had freed into its lcore cache since its
    // last push (dropped, never freed, by the next client on that lcore:
    // counted) and at most one unpublished push (a client pushes once its
    // cache holds 256, so up to 256 + a burst). Everything else comes back
    // once all stop gracefully.
    await stopAll(sh);
    const lost = await inUse(sh);
    const { dropped } = await returned(sh);
    assert.ok(lost <= 96 + dropped + 256 + 32, `${lost} mbufs in use (${dropped} dropped from caches): more than a killed client can hold`);
  });

  it('a SIGSTOPped client is skipped once its heartbeat stops, and taken back when it resumes', async () => {
    const sh = await shell(['--file-prefix', prefix]);
    adoptAll(await sh.command('spawn server --clients 2 --start-clients'));
    await growing(sh, 'client1', 'tx');
    const pid = proc(await statsOf(sh), 'client1').pid;
    process.kill(pid, 'SIGSTOP');
    try {
      // ps calls it stalled after the same silence the server skips it after.
      await statsUntil(sh, (s) => proc(s, 'client1').skipped === true && proc(s, 'client1').state === 'stalled', 6000, 'client1 stalled and skipped');
      await sleep(100);
      assert.ok(await still(sh, 'client1', 'rx_drop'), 'a stopped client costs no more traffic');
      await growing(sh, 'client0', 'tx');
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    await statsUntil(sh, (s) => proc(s, 'client1').skipped === false && proc(s, 'client1').state === 'running', 6000, 'client1 taken back');
    await growing(sh, 'client1', 'tx');
  });

  it('kill -9 of the server: the clients wait, and a restarted server feeds them again', async () => {
    const sh = await shell(['--file-prefix', prefix]);
    adoptAll(await sh.command('spawn server --clients 2 --start-clients'));
    await growing(sh, 'client1', 'tx');
    process.kill(proc(await statsOf(sh), 'server').pid, 'SIGKILL');
    await sh.waitFor(/server \(pid \d+\) killed \(SIGKILL\)/, 3000);
    const restarted = await sh.command('restart server', 30_000);
    adoptAll(restarted);
    assert.match(restarted, /server restarted \(pid \d+\)/);
    await growing(sh, 'client0', 'tx');
    await growing(sh, 'client1', 'tx');
  });

  it('a server killed inside a pool operation: the restarted one repairs the pool ring instead of freezing', async () => {
    // The hook reserves a slot on the pool ring and SIGKILLs the server
    // before publishing it, once: what a kill at the worst moment leaves.
    const mark = path.join(os.tmpdir(), `mpsh-die-${prefix}`);
    fs.rmSync(mark, { force: true });
    const sh = mpsh('shell', ['--file-prefix', prefix], { env: { MPSH_TEST_DIE_IN_POOL_OP: mark } });
    await sh.waitFor(/simple_mp > /, 20_000);
    try {
      adoptAll(await sh.command('spawn server --clients 2 --start-clients'));
      await sh.waitFor(/server \(pid \d+\) killed \(SIGKILL\)/, 20_000);
      assert.ok(fs.existsSync(mark), 'the server died in the hook');
      assert.match(
        await sh.command('pools'),
        /^ {2}ring: a put left half-done \(1 slot reserved and never published\): every later producer of this pool waits forever\. A process of this prefix was killed/m,
      );
      const restarted = await sh.command('restart server', 30_000);
      adoptAll(restarted);
      assert.match(restarted, /server restarted \(pid \d+\)/);
      assert.doesNotMatch(await sh.command('pools'), /half-done/, 'the restarted server repaired the ring');
      assert.match(await sh.command('logs server'), /Repaired pool ring MProc_pktmbuf_pool left half-updated by a killed process: 1 reserved slots dropped/);
      await growing(sh, 'client0', 'tx');
      await growing(sh, 'client1', 'tx');
    } finally {
      fs.rmSync(mark, { force: true });
    }
  });

  it('the server restarts under its clients, which keep their rings and resume; graceful stops return every mbuf', async () => {
    const sh = await shell(['--file-prefix', prefix]);
    adoptAll(await sh.command('spawn server --clients 2 --start-clients'));
    await growing(sh, 'client0', 'tx');
    const before = await statsOf(sh);
    const again = await sh.command('restart server');
    adoptAll(again);
    assert.match(again, /server restarted \(pid \d+\)/);
    const after = await growing(sh, 'client0', 'tx');
    await growing(sh, 'client1', 'tx');
    assert.notEqual(proc(after, 'server').pid, proc(before, 'server').pid);
    assert.equal(proc(after, 'client0').pid, proc(before, 'client0').pid, 'clients kept running across the server restart');
    assert.equal(proc(after, 'client1').pid, proc(before, 'client1').pid);

    // Everyone stops gracefully, server first: every mbuf is back in the pool.
    await stopAll(sh);
    assert.equal(await inUse(sh), 0);
  });

  it('--strict-round-robin keeps stock behaviour: a dead client goes on costing its share', async () => {
    const sh = await shell(['--file-prefix', prefix]);
    adoptAll(await sh.command('spawn server --clients 2 --start-clients --strict-round-robin'));
    await growing(sh, 'client1', 'tx');
    process.kill(proc(await statsOf(sh), 'client1').pid, 'SIGKILL');
    await sh.waitFor(/client1 \(pid \d+\) killed/, 3000);
    await sleep(300);
    await growing(sh, 'client1', 'rx_drop');
    assert.equal(proc(await statsOf(sh), 'client1').skipped, false);
  });
});
