/** The live view's state, history and detail text, over a real session store and fixed probes. */
import assert from 'node:assert/strict';
import { CommandRegistry } from '../../src/commands/registry.js';
import type { CommandContext } from '../../src/commands/types.js';
import { Session } from '../../src/core/shell/session.js';
import { detailLines, type DetailProbes } from '../../src/core/observe/stats/detail.js';
import { RateHistory, sparkline } from '../../src/core/observe/stats/history.js';
import type { GroupStats, ProcessRow } from '../../src/core/observe/stats/types.js';

const registry = new CommandRegistry();
function ctxOf(): CommandContext {
  return { session: new Session(), simpleMp: null, control: null, commands: registry.commands, requestQuit() {} };
}
const last = (ctx: CommandContext) => ctx.session.snapshot().log.at(-1)?.text;

const clientRow = (id: number, pid: number, pps: number): ProcessRow => ({
  name: `client${id}`,
  role: 'client',
  pid,
  state: 'running',
  uptimeMs: 5000,
  idlePolicy: { mode: 'adaptive', waitsOn: 'producer wake-up', forecastUs: 0 },
  heartbeatNs: 1_000_000_000n,
  ports: [{ port: 0, rx: 0, tx: 100, drop: 2, rxPps: 0, txPps: pps }],
  client: { id, rx: pps * 10, rxDrop: 5, tx: 100, txDrop: 2, rxPps: pps, txPps: pps, skipped: false },
});

describe('live view: commands, history, detail', () => {
  it('sort, filter, freeze and resume change the view; bad input gets one line', async () => {
    const ctx = ctxOf();
    await registry.execute(ctx, 'sort rx/s');
    assert.deepEqual(ctx.session.view.sort, { column: 'rx/s', descending: true });
    await registry.execute(ctx, 'sort rx/s');
    assert.deepEqual(ctx.session.view.sort, { column: 'rx/s', descending: false });
    await registry.execute(ctx, 'sort name desc');
    assert.deepEqual(ctx.session.view.sort, { column: 'name', descending: true });
    await registry.execute(ctx, 'sort colour');
    assert.match(last(ctx)!, /^sort: no column 'colour': usage: sort <column>/);
    await registry.execute(ctx, 'sort off');
    assert.equal(ctx.session.view.sort, null);
    await registry.execute(ctx, 'filter client1');
    assert.equal(ctx.session.view.filter, 'client1');
    await registry.execute(ctx, 'filter');
    assert.equal(ctx.session.view.filter, '');
    await registry.execute(ctx, 'freeze');
    assert.equal(ctx.session.view.frozen, true);
    await registry.execute(ctx, 'show');
    await registry.execute(ctx, 'show client0');
    assert.equal(last(ctx), 'show: this shell has no process group');
    await registry.execute(ctx, 'resume');
    assert.equal(ctx.session.view.frozen, false);
    await registry.execute(ctx, 'help');
    assert.ok(ctx.session.snapshot().log.some((e) => /on an empty prompt < and > sort/.test(e.text)));
  });

  it('freeze keeps recording history while the shown group stays', () => {
    const s = new Session();
    const g = (at: number, pps: number): GroupStats => ({ at, processes: [clientRow(0, 10, pps)], ports: [] });
    s.setGroup(g(1000, 5));
    s.setView({ frozen: true });
    s.setGroup(g(1250, 9));
    assert.equal(s.snapshot().group.at, 1000);
    assert.equal(s.snapshot().history.of('client0')!.points.length, 2);
    assert.equal(s.snapshot().history.of('client0')!.peakRx, 9);
    s.setView({ frozen: false });
    assert.equal(s.snapshot().group.at, 1250);
  });

  it('history keeps one minute, resets the peak on a new pid and counts it as a restart', () => {
    const h = new RateHistory();
    for (let t = 0; t <= 80_000; t += 250) h.record({ at: t, processes: [clientRow(0, t < 70_000 ? 10 : 11, t === 1000 ? 99 : 1)], ports: [] });
    const c = h.of('client0')!;
    assert.equal(c.restarts, 1);
    assert.equal(c.peakRx, 1);
    assert.ok(c.points[0]!.at > 20_000 && c.points.length <= 240);
    assert.equal(
      sparkline([], (p) => p.rx, 5, 0),
      '     ',
    );
    const pts = [0, 1, 2, 3].map((i) => ({ at: 60_000 - (3 - i) * 15_000, rx: i, tx: 0 }));
    assert.equal(
      sparkline(pts, (p) => p.rx, 4, 60_000),
      '▁▄▆█',
    );
  });

  it('detail: ports and peaks, ring fill and drops, CPU, lcores, heartbeat, pool; the server: distribution', () => {
    const h = new RateHistory();
    const g: GroupStats = {
      at: 10_000,
      processes: [
        { name: 'server', role: 'server', pid: 9, state: 'running', uptimeMs: 9000, ports: [{ port: 0, rx: 30, tx: 0, drop: 0, rxPps: 3, txPps: 0 }] },
        clientRow(0, 10, 1000),
        clientRow(1, 11, 3000),
      ],
      ports: [],
    };
    h.record(g);
    const probes: DetailProbes = {
      ring: (id) => ({ name: `MProc_Client_${id}_RX`, count: 12, capacity: 2047 }),
      pool: () => ({ name: 'MProc_pktmbuf_pool', inUse: 40, size: 8191 }),
      cpu: () => ({ now: { at: 2000, userS: 1.5, sysS: 0.5, ageS: 20 }, before: { at: 1000, userS: 1.0, sysS: 0.5, ageS: 19 } }),
      lcores: () => '-l 3',
      threads: () => [
        { name: 'main', cpus: '0-1', lastCpu: 1 },
        { name: 'lcore 37', cpus: '0', lastCpu: 0 },
      ],
      monotonicNs: () => 1_004_000_000n,
    };
    const text = detailLines('client1', g, h, probes).join('\n');
    assert.match(text, /^client1: client, pid 11, running, up 5s, restarts 0/);
    assert.match(text, /heartbeat 4\.0 ms ago · idle policy adaptive \(producer wake-up\) · loop polling/);
    assert.match(text, /cpu 50\.0% now, 10\.0% average since start \(user 1\.50 s, sys 0\.50 s\)/);
    assert.match(text, /lcores, affinity \(now on\): main cpus 0-1 \(on 1\), lcore 37 cpus 0 \(on 0\); given -l 3\n/);
    assert.match(text, /\n {5}0 +0 +100 +2 +0 +3\.00k +0 +3\.00k/);
    assert.match(text, /\n {2}rx\/s {40}█ peak 3\.00k, since start 3\.00k\n/);
    assert.doesNotMatch(text, /tx\/s .* peak/, 'tx like rx: no line of its own');
    assert.match(text, /ring MProc_Client_1_RX: 12 of 2047 entries \(0\.6%\) · ring drops 5/);
    assert.match(text, /mempool MProc_pktmbuf_pool: 40 of 8191 in use/);
    const server = detailLines('server', g, h, probes).join('\n');
    assert.match(server, /share of the 40\.0k packets put in client rings, and rate now\n {4}client0 25\.0% 1\.00k\/s +client1 75\.0% 3\.00k\/s\n/);
    assert.equal(detailLines('nobody', g, h, probes)[0], "no process named 'nobody': ps lists them");
  });
});
