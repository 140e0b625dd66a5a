/**
 * Real traffic through symmetric workers: Linux ping and iperf3 between two
 * network namespaces whose only link is mpsh forwarding between two tap ports.
 */
import assert from 'node:assert/strict';
import { adopt, mpsh, mpshShell, removePrefixFiles, sleep, uniquePrefix } from '../../harness/proc.js';
import { port, proc, statsOf, statsUntil, type StatsJson } from '../helpers/stats.js';
import { TapPair } from '../../harness/tap.js';

const shell = (prefix: string, tap: TapPair) => mpshShell('shell', ['--file-prefix', prefix, ...tap.vdevs()]);

const adoptAll = (out: string) => [...out.matchAll(/\(pid (\d+)\)/g)].forEach((m) => adopt(Number(m[1])));
const total = (s: StatsJson, p: number, k: 'rx' | 'tx') => port({ ports: s.ports }, p)[k];

describe('symmetric workers: ping and iperf3 across tap ports', function () {
  let prefix: string;
  let tap: TapPair;
  beforeEach(() => {
    prefix = uniquePrefix('symtap');
    tap = new TapPair();
  });
  afterEach(() => {
    tap.cleanup();
    removePrefixFiles(prefix);
  });

  for (const [workers, policy] of [
    [1, 'adaptive'],
    [2, 'interrupt'],
  ] as const) {
    it(`${workers} worker${workers > 1 ? 's' : ''}, --idle ${policy}: every echo is answered, the port counters hold exactly the echoes, the workers wait on their tap queues`, async () => {
      const sh = await shell(prefix, tap);
      adoptAll(await sh.command(`spawn symmetric ${workers}${policy === 'adaptive' ? '' : ` --idle ${policy}`}`));
      await tap.moveIntoNamespaces();
      const before = await statsOf(sh);
      const r = await tap.ping(20);
      assert.equal(r.received, 20, r.output);
      // A loop counts a burst just after sending it: on a busy machine the count may trail ping by a little.
      const after = await statsUntil(
        sh,
        (s) => total(s, 0, 'tx') - total(before, 0, 'tx') >= 20 && total(s, 1, 'tx') - total(before, 1, 'tx') >= 20,
        5000,
        '20 packets out of each port',
      ).catch(() => statsOf(sh));
      // Requests enter on port 0 and leave on port 1; replies the other way.
      for (const [p, k] of [
        [0, 'rx'],
        [1, 'tx'],
        [1, 'rx'],
        [0, 'tx'],
      ] as const) {
        assert.equal(total(after, p, k) - total(before, p, k), 20, `port ${p} ${k}`);
      }
      const perWorker = (n: string, s: StatsJson) => port(proc(s, n), 0).rx;
      const names = Array.from({ length: workers }, (_, i) => `sym${i}`);
      assert.equal(
        names.reduce((a, n) => a + perWorker(n, after) - perWorker(n, before), 0),
        20,
        'the workers account for every request',
      );
      for (const n of names) {
        assert.equal(proc(after, n).idle_policy, policy);
        assert.equal(proc(after, n).idle_wait, 'tap queue fds', 'a secondary got its queue fds from the primary');
      }
      assert.match(await sh.command('ps'), new RegExp(`sym0\\s+symmetric\\s+\\d+\\s+running.*${policy} \\(tap queue fds`));
    });
  }

  it('adaptive wakes ahead of a steady flow: the worker reports its period while echoes come every 20 ms, and forgets it once they stop', async () => {
    const sh = await shell(prefix, tap);
    adoptAll(await sh.command('spawn symmetric 1'));
    await tap.moveIntoNamespaces();
    const forecast = (s: StatsJson) => Number(proc(s, 'sym0').idle_forecast_us ?? 0);
    const pinging = tap.ping(150, 0.02);
    // ping sends every 20 ms plus its own overheads; the forecast is the steady gap between requests.
    const during = await statsUntil(sh, (s) => forecast(s) >= 18_000 && forecast(s) <= 40_000, 6000, 'a forecast of a 20-40 ms period');
    assert.match(await sh.command('ps'), /sym0\s+symmetric.*adaptive \(tap queue fds, wakes ahead of a \d+\.\d ms period\)/);
    const r = await pinging;
    assert.equal(r.received, 150, `every echo answered while the worker slept between them:\n${r.output}`);
    // Two missed windows and the forecast is gone: an idle worker does not keep waking for a flow that ended.
    const after = await statsUntil(sh, (s) => forecast(s) === 0, 3000, 'the forecast dropped after the flow stopped');
    assert.ok(forecast(during) > 0);
    // Idle well past the fds' renewal (1 s): the worker still waits on its tap queues, though their interfaces live in other namespaces now.
    await sleep(1500);
    assert.equal(proc(await statsOf(sh), 'sym0').idle_wait, 'tap queue fds');
    assert.equal(proc(after, 'sym0').idle_policy, 'adaptive');
  });

  it('iperf3 moves data through 1 worker; after restart of the worker ping still crosses', async () => {
    const sh = await shell(prefix, tap);
    adoptAll(await sh.command('spawn symmetric 1'));
    await tap.moveIntoNamespaces();
    const before = await statsOf(sh);
    const bps = await tap.iperf(2);
    assert.ok(bps > 0, 'iperf3 received data');
    const after = await statsOf(sh);
    // At least the payload crossed port 0 -> port 1, in packets of at most 1514 bytes.
    assert.ok(total(after, 1, 'tx') - total(before, 1, 'tx') >= (bps * 2) / 8 / 1514 / 2, 'the worker forwarded the stream');
    const restarted = await sh.command('restart sym0');
    adoptAll(restarted);
    assert.match(restarted, /sym0 restarted \(pid \d+\)/);
    assert.ok((await tap.ping(3)).received >= 1, 'ping crosses the restarted worker');
    const r = await tap.ping(10);
    assert.equal(r.received, 10, r.output);
  });

  it('interfaces moved before spawn: one line says what to do; set up first, then moved, a new spawn keeps the ports and forwards', async () => {
    const sh = await shell(prefix, tap);
    await tap.moveIntoNamespaces();
    const refused = await sh.command('spawn symmetric 1');
    assert.match(refused, new RegExp(`port 0: its interface ${tap.ifA} has left this process's network namespace.*move ${tap.ifA} back here`));
    assert.doesNotMatch(await sh.command('ps'), /^sym0\s/m);
    tap.cleanup();

    // The order that works: spawn, then move; workers killed and spawned again keep the ports.
    const other = new TapPair();
    const sh2 = await shell(uniquePrefix('symtap'), other);
    try {
      adoptAll(await sh2.command('spawn symmetric 1'));
      await other.moveIntoNamespaces();
      assert.equal((await other.ping(5)).received, 5);
      assert.match(await sh2.command('kill sym0'), /sym0 stopped/);
      const again = await sh2.command('spawn symmetric 1');
      adoptAll(again);
      assert.match(again, /port 0: kept as set up for 1 queue \(its interface is in another namespace\)/);
      assert.equal((await other.ping(5)).received, 5);
    } finally {
      other.cleanup();
    }
  });

  it('a script that moves the interfaces the moment they appear either forwards or is told why not, never silently drops', async () => {
    for (let run = 0; run < 3; run++) {
      const t = new TapPair();
      const p = uniquePrefix('symtaprace');
      try {
        const w = mpsh('symmetric', ['symmetric', '--file-prefix', p, ...t.vdevs(), '--', '-p', '3', '--num-procs', '1', '--proc-id', '0']);
        // The forwarder may refuse (and its interfaces vanish) halfway through the move.
        const moved = await t.moveIntoNamespaces().then(
          () => true,
          () => false,
        );
        const outcome = await Promise.race([w.waitFor(/Finished Process Init/, 20_000).then(() => 'running'), w.exited.then(() => 'exited')]);
        if (outcome === 'running' && !w.exit && moved) {
          assert.equal((await t.ping(5)).received, 5, `run ${run}: a running forwarder forwards`);
        } else {
          await w.waitExit();
          assert.match(w.err, /left this process's network namespace.*move interfaces into namespaces only after their ports started/);
          assert.equal(w.exit?.code, 1);
        }
        await w.stop();
      } finally {
        t.cleanup();
        removePrefixFiles(p);
      }
    }
  });
});
