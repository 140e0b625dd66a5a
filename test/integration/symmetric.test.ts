/**
 * symmetric_mp from the shell, on real ports: exact accounting with net_pcap
 * (known packets in, every one counted and forwarded once), and a net_null
 * smoke test of crash, restart and shell death under full load.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { adopt, mpshShell, type Proc, removePrefixFiles, sleep, uniquePrefix } from '../../harness/proc.js';
import { exitsWithin, untilNoLeftovers } from '../helpers/leftovers.js';
import { packetId, readPcap, udpPacket, writePcap } from '../../harness/pcap.js';
import { port, proc, rxOf, statsOf, statsUntil } from '../helpers/stats.js';

const shell = (name: string, args: string[], cwd?: string, env?: Record<string, string>) => mpshShell(name, args, { cwd, env });

function adoptWorkers(out: string): void {
  for (const m of out.matchAll(/sym\d+ \(pid (\d+)\)/g)) adopt(Number(m[1]));
}

describe('symmetric workers: exact accounting on net_pcap', function () {
  let dir: string;
  let prefix: string;
  beforeEach(() => {
    prefix = uniquePrefix('sympcap');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpsh-pcap-'));
  });
  afterEach(() => {
    removePrefixFiles(prefix);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  // pcap devargs are truncated at 64 characters when a secondary re-reads
  // them, so the files get short names relative to the shell's directory.
  const COUNTS = { a0: 1000, a1: 700, b0: 500, b1: 300 };

  it('2 workers, 2 ports: every packet is received once, on its queue, and TX + drop match the pair', async () => {
    for (const [f, n] of Object.entries(COUNTS))
      writePcap(
        path.join(dir, f),
        Array.from({ length: n }, (_, i) => udpPacket(f.charCodeAt(0) * 10 + Number(f[1]), i)),
      );
    const sh = await shell('shell', ['--file-prefix', prefix, '--vdev=net_pcap0,rx_pcap=a0,rx_pcap=a1', '--vdev=net_pcap1,rx_pcap=b0,rx_pcap=b1'], dir);
    adoptWorkers(await sh.command('spawn symmetric 2'));
    const total = Object.values(COUNTS).reduce((a, b) => a + b);
    const s = await statsUntil(sh, (x) => x.ports.reduce((a, p) => a + p.rx, 0) >= total, 20_000, `${total} packets received`);
    await sleep(300);
    const settled = await statsOf(sh);
    assert.deepEqual(
      settled.ports.map((p) => p.rx),
      s.ports.map((p) => p.rx),
      'nothing more arrives',
    );
    // Worker n polls queue n of each port: exactly the packets of that queue's file.
    assert.equal(port(proc(settled, 'sym0'), 0).rx, COUNTS.a0);
    assert.equal(port(proc(settled, 'sym1'), 0).rx, COUNTS.a1);
    assert.equal(port(proc(settled, 'sym0'), 1).rx, COUNTS.b0);
    assert.equal(port(proc(settled, 'sym1'), 1).rx, COUNTS.b1);
    assert.equal(rxOf({ ports: settled.ports }), total);
    for (const p of settled.ports) {
      const pair = port({ ports: settled.ports }, p.port ^ 1);
      assert.equal(p.tx + p.drop, pair.rx, `port ${p.port}: TX + drop = RX of port ${p.port ^ 1}`);
    }
    sh.write('quit');
    await sh.waitFor(/stopped sym0, sym1/);
    assert.equal((await sh.waitExit()).code, 0);
  });

  it("1 worker: after a graceful stop each tx pcap holds exactly its pair port's input, each packet once", async () => {
    const a = Array.from({ length: 1000 }, (_, i) => udpPacket(1, i));
    const b = Array.from({ length: 600 }, (_, i) => udpPacket(2, i));
    writePcap(path.join(dir, 'a0'), a);
    writePcap(path.join(dir, 'b0'), b);
    const sh = await shell('shell', ['--file-prefix', prefix, '--vdev=net_pcap0,rx_pcap=a0,tx_pcap=x0', '--vdev=net_pcap1,rx_pcap=b0,tx_pcap=y0'], dir);
    adoptWorkers(await sh.command('spawn symmetric 1'));
    await statsUntil(sh, (x) => x.ports.reduce((n, p) => n + p.tx, 0) >= 1600, 20_000, '1600 packets sent');
    assert.match(await sh.command('kill sym0'), /sym0 stopped/);
    const sorted = (ps: Buffer[]) => ps.map(packetId).sort();
    // Port 0's input leaves through port 1 and the other way round.
    assert.deepEqual(sorted(readPcap(path.join(dir, 'y0'))), sorted(a));
    assert.deepEqual(sorted(readPcap(path.join(dir, 'x0'))), sorted(b));
    assert.ok(
      readPcap(path.join(dir, 'y0')).every((p, i) => p.equals(a[i]!)),
      'bytes unchanged and in order',
    );
  });
});

describe('symmetric workers: net_null under load', function () {
  let prefix: string;
  beforeEach(() => (prefix = uniquePrefix('symnull')));
  afterEach(() => removePrefixFiles(prefix));

  const grows = async (sh: Proc, names: string[]) => {
    const before = await statsOf(sh);
    await sleep(400);
    return statsUntil(sh, (s) => names.every((n) => rxOf(proc(s, n)) > rxOf(proc(before, n))), 5000, `${names.join(', ')} forwarding`);
  };

  it('counters grow in every worker; kill -9 of one leaves the other forwarding; restart brings it back', async () => {
    const sh = await shell('shell', ['--file-prefix', prefix]);
    const spawned = await sh.command('spawn symmetric 2');
    adoptWorkers(spawned);
    assert.match(spawned, /forwarding on ports 0, 1: sym0 \(pid \d+\), sym1 \(pid \d+\)/);
    await grows(sh, ['sym0', 'sym1']);
    assert.match(await sh.command('ps'), /sym0\s+symmetric\s+\d+\s+running[\s\S]*sym1\s+symmetric\s+\d+\s+running/);

    const killed = proc(await statsOf(sh), 'sym1').pid;
    process.kill(killed, 'SIGKILL');
    await sh.waitFor(/sym1 \(pid \d+\) killed \(SIGKILL\)/, 2000);
    assert.match(await sh.command('ps'), /sym1\s+symmetric\s+\d+\s+killed \(SIGKILL\)/);
    await grows(sh, ['sym0']);

    const restarted = await sh.command('restart sym1');
    adoptWorkers(restarted);
    assert.match(restarted, /sym1 restarted \(pid \d+\)/);
    const s = await grows(sh, ['sym0', 'sym1']);
    assert.notEqual(proc(s, 'sym1').pid, killed);
    assert.equal(proc(s, 'sym1').state, 'running');

    // A graceful leave (EAL cleanup in a secondary) does not stop the other either.
    assert.match(await sh.command('kill sym1'), /sym1 stopped/);
    assert.equal(proc(await statsOf(sh), 'sym1').state, 'exited (0)');
    await grows(sh, ['sym0']);
    assert.match(await sh.command('stats'), /NAME\s+PID\s+STATE\s+PORT\s+RX\s+TX\s+DROP\s+RX\/s\s+TX\/s[\s\S]*\nPORT\s+RX\s+TX\s+DROP/);
  });

  it('a second shell sees the same counters; when the primary shell is killed (SIGKILL) its workers and files go with it', async () => {
    const pri = await shell('primary shell', ['--file-prefix', prefix]);
    adoptWorkers(await pri.command('spawn symmetric 2'));
    const sec = await shell('secondary shell', ['--file-prefix', prefix]);
    // The primary still holds its config lock after spawning (a probe that
    // closed the config file used to drop it): no "primary is gone" here.
    assert.doesNotMatch(sec.err, /is gone/);
    const a = await statsOf(pri);
    const b = await statsOf(sec);
    // The workers' rows alike (each shell also lists the other among the prefix's processes).
    const workers = (g: typeof a) => g.processes.filter((p) => p.role === 'symmetric').map((p) => [p.name, p.pid, p.state]);
    assert.deepEqual(workers(b), workers(a));
    assert.equal(workers(a).length, 2);
    assert.ok(rxOf(proc(b, 'sym0')) >= rxOf(proc(a, 'sym0')), 'the same shared counters, read later');
    assert.match(await sec.command('spawn symmetric 1'), /needs this shell to be the primary/);
    sec.write('quit');
    await sec.waitExit();

    // Whatever kills the shell, its children and files go with it: its
    // guardian stops the workers and removes the prefix's files (the same
    // primary dying under workers it did not start: faults.test.ts).
    const workerPids = workers(a).map((w) => w[1] as number);
    pri.signal('SIGKILL');
    await pri.waitExit();
    for (const pid of workerPids) assert.ok(await exitsWithin(pid, 8000), `worker ${pid} stopped with its shell`);
    await untilNoLeftovers(prefix, 5000);
  });

  it('a worker whose loop stops showing signs of life is reported stalled, and running again once it resumes', async () => {
    const sh = await shell('shell', ['--file-prefix', prefix]);
    adoptWorkers(await sh.command('spawn symmetric 2'));
    await grows(sh, ['sym0', 'sym1']);
    const pid = proc(await statsOf(sh), 'sym1').pid;
    process.kill(pid, 'SIGSTOP'); // alive, slot says running, heartbeat frozen
    try {
      await statsUntil(sh, (s) => proc(s, 'sym1').state === 'stalled', 6000, 'sym1 stalled');
      assert.match(await sh.command('ps'), /sym1\s+symmetric\s+\d+\s+stalled/);
      assert.equal(proc(await statsOf(sh), 'sym0').state, 'running');
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    await statsUntil(sh, (s) => proc(s, 'sym1').state === 'running', 5000, 'sym1 running again');
  });

  it('quit in the primary stops its workers first and says so', async () => {
    const sh = await shell('shell', ['--file-prefix', prefix]);
    const out = await sh.command('spawn symmetric 2');
    const pids = [...out.matchAll(/pid (\d+)/g)].map((m) => Number(m[1]));
    pids.forEach(adopt);
    sh.write('quit');
    await sh.waitFor(/stopping sym0, sym1…\nstopped sym0, sym1/);
    assert.equal((await sh.waitExit()).code, 0);
    for (const pid of pids) assert.throws(() => process.kill(pid, 0), /ESRCH/);
  });
});
