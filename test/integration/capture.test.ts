/**
 * `capture`: a worker's packets, in and out, written to a pcapng file that
 * tcpdump reads; exact counts against what was forwarded.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { adoptPidsIn, mpshShell, removePrefixFiles, sleep, stock, uniquePrefix } from '../../harness/proc.js';
import { proc, statsUntil } from '../helpers/stats.js';
import { stockBinary } from '../../harness/stock.js';
import { TapPair } from '../../harness/tap.js';

const shell = (args: string[], cwd?: string) => mpshShell('shell', args, { cwd });
const adoptAll = adoptPidsIn;

describe('observability: capture', function () {
  let prefix: string;
  let dir: string;
  beforeEach(() => {
    prefix = uniquePrefix('cap');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpsh-cap-'));
  });
  afterEach(() => {
    removePrefixFiles(prefix);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** tcpdump's own reading of a capture file: one line per packet, epoch timestamps. */
  /** Enhanced Packet Blocks (type 6) in a little-endian pcapng file. */
  const pcapngPackets = (file: string) => {
    const b = fs.readFileSync(file);
    let n = 0;
    for (let off = 0; off + 8 <= b.length; off += b.readUInt32LE(off + 4)) if (b.readUInt32LE(off) === 6) n++;
    return n;
  };
  const tcpdump = (file: string) =>
    execFileSync('tcpdump', ['-n', '-tt', '-r', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 256 << 20 })
      .trim()
      .split('\n')
      .filter(Boolean);

  it('capture <worker> writes exactly N of the packets it forwards to a pcapng file tcpdump reads, with sane timestamps', async () => {
    // net_null: traffic that does not end before the capture starts (its packets are 64 zero bytes).
    const sh = await shell(['--file-prefix', prefix], dir);
    adoptAll(await sh.command('spawn symmetric 1'));
    await statsUntil(sh, (x) => x.ports.reduce((n, p) => n + p.rx, 0) > 100, 10_000, 'traffic');
    const before = Date.now() / 1000;
    const file = path.join(dir, 'sym0.pcapng');
    assert.match(await sh.command(`capture sym0 ${file} --count 50 --direction rx --port 0`), /capturing sym0 \(rx, port 0\) to .* for 50 packets/);
    await sh.waitFor(/captured 50 packets to .*sym0\.pcapng\n/, 10_000);
    const after = Date.now() / 1000;
    const lines = tcpdump(file);
    assert.equal(lines.length, 50, 'tcpdump reads exactly the 50 packets');
    for (const l of lines) {
      const t = Number(l.split(' ')[0]);
      assert.ok(t >= before - 1 && t <= after + 1, `timestamp ${t} within the capture (${before}..${after})`);
    }
    // Both directions, both ports; then the stock-process and bad-input refusals, one line each.
    const both = path.join(dir, 'both.pcapng');
    await sh.command(`capture sym0 ${both} --count 40`);
    await sh.waitFor(/captured 40 packets/, 10_000);
    assert.equal(tcpdump(both).length, 40);
    assert.match(await sh.command('capture sym0 x.pcapng --count 0'), /--count needs a whole number from 1 \(got 0\)/);
    assert.match(await sh.command('capture sym0 x.pcapng --direction sideways'), /--direction is rx, tx or both \(got sideways\)/);
    assert.match(await sh.command('capture sym0 x.pcapng --port 7'), /sym0 does not handle port 7: its ports are 0, 1/);
    assert.match(await sh.command('capture nobody x.pcapng'), /no process named 'nobody'/);
    assert.match(await sh.command('capture stop'), /no capture is running/);
    // --duration ends it on time even while the loop refills the ring as fast as the shell drains it.
    await sh.command(`capture sym0 ${path.join(dir, 'timed.pcapng')} --duration 0.5`);
    const timed = await sh.waitFor(/captured (\d+) packets to .*timed\.pcapng/, 5000);
    assert.equal(pcapngPackets(path.join(dir, 'timed.pcapng')), Number(timed[1]));
    // Until stopped: capture stop ends it and says how many it wrote.
    assert.match(await sh.command(`capture sym0 ${path.join(dir, 'open.pcapng')} --direction rx --port 0`), /'capture stop' ends it/);
    assert.match(await sh.command('capture sym0 y.pcapng'), /a capture is running \(sym0 to .*open\.pcapng\): 'capture stop' first/);
    await sleep(100);
    const m = /captured (\d+) packets to .*open\.pcapng/.exec(await sh.command('capture stop'));
    assert.ok(m, 'capture stop says what it wrote');
    // Possibly millions of packets: counted from the file's blocks rather than tcpdump's text.
    assert.equal(pcapngPackets(path.join(dir, 'open.pcapng')), Number(m[1]));
  });

  it('ping across tap ports: capture of the worker holds exactly the echo requests and replies, none lost', async () => {
    const tap = new TapPair();
    try {
      const sh = await shell(['--file-prefix', prefix, ...tap.vdevs()]);
      adoptAll(await sh.command('spawn symmetric 1'));
      await tap.moveIntoNamespaces();
      assert.equal((await tap.ping(3)).received, 3, 'warm-up: the path forwards');
      const file = path.join(dir, 'ping.pcapng');
      // What the worker receives: each echo request on port 0, each reply on port 1.
      await sh.command(`capture sym0 ${file} --count 40 --direction rx`);
      const before = Date.now() / 1000;
      const r = await tap.ping(20);
      await sh.waitFor(/captured 40 packets to .*ping\.pcapng\n/, 10_000);
      const after = Date.now() / 1000;
      assert.equal(r.received, 20, `no ping lost during the capture:\n${r.output}`);
      const lines = tcpdump(file);
      assert.equal(lines.length, 40, lines.join('\n'));
      assert.equal(lines.filter((l) => /ICMP echo request/.test(l)).length, 20);
      assert.equal(lines.filter((l) => /ICMP echo reply/.test(l)).length, 20);
      for (const l of lines) {
        const t = Number(l.split(' ')[0]);
        assert.ok(t >= before - 1 && t <= after + 1, `timestamp ${t} within the pings (${before}..${after})`);
      }
    } finally {
      tap.cleanup();
    }
  });

  it('a stock process cannot be captured, and says so', async function () {
    this.timeout(180_000);
    const client = stockBinary('client_server_mp/mp_client');
    const sh = await shell(['--file-prefix', prefix]);
    adoptAll(await sh.command('spawn server --clients 1'));
    const c0 = stock('stock client0', client, ['--lcores=3@1', '--proc-type=secondary', '--file-prefix', prefix, '--', '-n', '0']);
    await c0.waitFor(/Finished Process Init/, 20_000, 'err');
    await statsUntil(sh, (x) => proc(x, 'client0').state === 'running (stock)', 10_000, 'stock client seen');
    assert.match(await sh.command('capture client0 x.pcapng'), /client0 is a stock process: only mpsh processes copy their packets for capture/);
    c0.signal('SIGKILL');
  });
});
