/**
 * Real traffic through a client-server group: Linux ping and iperf3 between
 * two network namespaces linked only by mpsh's server and clients on tap
 * ports (which need as many RX as TX queues: one per client).
 */
import assert from 'node:assert/strict';
import { adopt, mpshShell, removePrefixFiles, uniquePrefix } from '../../harness/proc.js';
import { proc, statsOf, statsUntil, type ProcessJson, type StatsJson } from '../helpers/stats.js';
import { TapPair } from '../../harness/tap.js';

const shell = (prefix: string, tap: TapPair) => mpshShell('shell', ['--file-prefix', prefix, ...tap.vdevs()]);

const adoptAll = (out: string) => [...out.matchAll(/\(pid (\d+)\)/g)].forEach((m) => adopt(Number(m[1])));
const num = (p: ProcessJson, k: string) => p[k] as number;
const serverRx = (s: StatsJson) => proc(s, 'server').ports.reduce((a, p) => a + p.rx, 0);
const clients = ['client0', 'client1'];
const sum = (s: StatsJson, k: string) => clients.reduce((a, c) => a + num(proc(s, c), k), 0);

describe('client-server: ping and iperf3 across tap ports', function () {
  let prefix: string;
  let tap: TapPair;
  beforeEach(() => {
    prefix = uniquePrefix('cstap');
    tap = new TapPair();
  });
  afterEach(() => {
    tap.cleanup();
    removePrefixFiles(prefix);
  });

  it('2 clients: every echo is answered; server and client counters hold exactly the echoes', async () => {
    const sh = await shell(prefix, tap);
    const out = await sh.command('spawn server --clients 2 --start-clients');
    adoptAll(out);
    assert.match(out, /port 0: the port needs as many RX queues as TX queues: 2 RX queues, the server reads them all/);
    assert.match(out, /serving 2 clients on ports 0, 1/);
    await tap.moveIntoNamespaces();
    const before = await statsOf(sh);
    const r = await tap.ping(20);
    assert.equal(r.received, 20, r.output);
    // A loop counts a burst just after sending it: on a busy machine the count may trail ping by a little.
    const after = await statsUntil(sh, (s) => sum(s, 'tx') - sum(before, 'tx') >= 40, 5000, '40 packets sent').catch(() => statsOf(sh));
    assert.equal(serverRx(after) - serverRx(before), 40, 'the server read 20 requests and 20 replies');
    assert.equal(sum(after, 'rx') - sum(before, 'rx'), 40, 'the clients took all 40 from their rings');
    assert.equal(sum(after, 'tx') - sum(before, 'tx'), 40, 'and sent all 40');
    // Since the echoes started (a packet sent while an interface moved is a tx_drop of before).
    assert.equal(sum(after, 'rx_drop') + sum(after, 'tx_drop') - sum(before, 'rx_drop') - sum(before, 'tx_drop'), 0, 'nothing dropped');
    assert.equal(proc(after, 'server').idle_wait, 'tap queue fds');
    for (const c of clients) assert.equal(proc(after, c).idle_wait, 'producer wake-up');
  });

  it('iperf3 moves data through server and 2 clients; after restart of a client and of the server ping still crosses', async () => {
    const sh = await shell(prefix, tap);
    adoptAll(await sh.command('spawn server --clients 2 --start-clients --idle poll'));
    await tap.moveIntoNamespaces();
    const before = await statsOf(sh);
    for (const n of ['server', ...clients]) assert.deepEqual([proc(before, n).idle_policy, proc(before, n).idle_wait], ['poll', 'polls']);
    const bps = await tap.iperf(2);
    assert.ok(bps > 0, 'iperf3 received data');
    const after = await statsOf(sh);
    for (const c of clients) assert.ok(num(proc(after, c), 'tx') > num(proc(before, c), 'tx'), `${c} forwarded part of the stream`);
    for (const name of ['client0', 'server']) {
      const out = await sh.command(`restart ${name}`);
      adoptAll(out);
      assert.match(out, new RegExp(`${name} restarted \\(pid \\d+\\)`));
      // The first echoes may meet the group re-judging who is alive; then every one is answered.
      assert.ok((await tap.ping(3)).received >= 1, `after restart ${name}: ping crosses`);
      const r = await tap.ping(10);
      assert.equal(r.received, 10, `after restart ${name}: ${r.output}\n${JSON.stringify(await statsOf(sh))}`);
    }
  });

  it('more clients than a tap port can share: one line says so, and no half-made group is left', async () => {
    const sh = await shell(prefix, tap);
    const out = await sh.command('spawn server --clients 5');
    assert.match(out, /port 0 \(net_tap\) can share at most 4 queues with other processes .*: at most 4 clients/);
    assert.doesNotMatch(await sh.command('ps'), /^server\s/m);
    adoptAll(await sh.command('spawn server --clients 2 --start-clients'));
    assert.match(await sh.command('ps'), /server\s+server\s+\d+\s+running/);
  });
});
