/**
 * The live view with real processes: a 16-client group in a real terminal
 * (tmux) at 80×24 and at 200×60, and `show` in line mode.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { MPSH_BIN, ROOT } from '../../harness/repo.js';
import { TmuxSession } from '../../harness/tmux.js';
import { adopt, mpsh, removePrefixFiles, sleep, uniquePrefix } from '../../harness/proc.js';
import { widthOf } from '../helpers/inkFrames.js';
import { procStat } from '../../src/core/os/procInfo.js';

/** The shell's children, by their parent pid in /proc. */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    if (procStat(Number(d))?.ppid === pid) out.push(Number(d)); // null: gone meanwhile
  }
  return out;
}

const cpuTicks = (pids: number[]) =>
  pids.reduce((a, p) => {
    const st = procStat(p);
    return a + (st ? st.utime + st.stime : NaN);
  }, 0);

/** The live part of the screen (panel to status line): no line wider than the terminal, even joined; every panel line ends in the border's column. */
function assertLayout(tty: TmuxSession, columns: number): string[] {
  const joined = tty.capture(true).split('\n');
  const top = joined.findIndex((l) => l.startsWith('╭'));
  assert.ok(top >= 0, `a panel on screen:\n${joined.join('\n')}`);
  const live = joined.slice(top).filter((l) => l !== '');
  for (const l of live) assert.ok(widthOf(l) <= columns, `no wrapped line at ${columns} columns: '${l}'`);
  const bottom = live.findIndex((l) => l.startsWith('╰'));
  const box = live.slice(0, bottom + 1);
  for (const l of box) assert.equal(widthOf(l), columns, `right border in column ${columns}: '${l}'`);
  for (const l of box.slice(1, -1)) assert.ok(l.endsWith('│'), `right border: '${l}'`);
  return box;
}

describe('live view with a real 16-client group', function () {
  let prefix: string;
  let tty: TmuxSession | undefined;
  beforeEach(() => (prefix = uniquePrefix('lv')));
  afterEach(() => {
    tty?.close();
    tty = undefined;
    removePrefixFiles(prefix);
  });

  it('80×24: usable, paged, idle cheaply; 200×60: every row; show focuses a process', async () => {
    // net_ring ports: 16 tx queues each, and no traffic, so every loop idles.
    const argv = [process.execPath, MPSH_BIN, '--file-prefix', prefix, '--vdev=net_ring0', '--vdev=net_ring1'];
    tty = TmuxSession.start({ cwd: ROOT, argv, columns: 80, rows: 24, showExit: true });
    await tty.waitFor(/primary · prefix mt-lv/);
    tty.type('spawn server --clients 16 --start-clients');
    tty.keys('Enter');
    let screen = await tty.waitFor([/rows 1-\d+ of 17, \d+ hidden \(PgUp\/PgDn\)/, /client\d+ .*running \(idle\)/], 60_000);
    // The pane runs sh (to print the exit status), which runs the shell, whose children the group is.
    const shellPid = childrenOf(tty.pid).find((p) => fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(MPSH_BIN)) ?? tty.pid;
    let children = childrenOf(shellPid);
    for (const deadline = Date.now() + 60_000; children.length < 17 && Date.now() < deadline; children = childrenOf(shellPid)) await sleep(200);
    children.forEach(adopt);
    assert.equal(children.length, 17, 'server and 16 clients');
    screen = await tty.waitFor([/client15 \(pid\s+\d+\)/, /│ client0 .*running/], 60_000);

    let box = assertLayout(tty, 80);
    const [, shown, hidden] = /rows 1-(\d+) of 17, (\d+) hidden/.exec(screen)!;
    assert.equal(Number(shown) + Number(hidden), 17);
    assert.match(box[1]!, /NAME▲? .*STATE .*RX\/s/);
    assert.ok(box.some((l) => /TOTALS\s+RX\s+TX\s+DROP\s+RX\/s\s+TX\/s/.test(l)));
    assert.match(screen, /empty prompt: < > sort/);
    // The newest command output stays in view above the panel.
    assert.match(screen, /client15 \(pid\s+\d+\)/);

    // Idle loops sleep: 17 processes on 2 cores use a small part of one (a spinning loop alone would take a whole one).
    const before = cpuTicks(children);
    await sleep(2000);
    const used = (cpuTicks(children) - before) / 2 / 100;
    assert.ok(used < 0.5, `17 idle processes used ${used.toFixed(2)} of a core`);

    tty.keys('NPage');
    screen = await tty.waitFor([/│ client15 /, /│ server .*running/]);
    assertLayout(tty, 80);

    tty.resize(200, 60);
    screen = await tty.waitFor([/│ client15 /, /│ server /, /│ client0 /, /PEAK RX\/s, last 60 s/]);
    await sleep(500); // one more redraw at the new size
    box = assertLayout(tty, 200);
    assert.ok(!box.some((l) => /hidden/.test(l)), 'nothing hidden at 200×60');
    for (const n of ['server', ...Array.from({ length: 16 }, (_, i) => `client${i}`)])
      assert.ok(
        box.some((l) => l.includes(`│ ${n} `)),
        n,
      );

    tty.type('show client3');
    tty.keys('Enter');
    screen = await tty.waitFor([/client3: client, pid \d+, running/, /ring MProc_Client_3_RX: \d+ of \d+ entries/, /cpu [\d.]+% now/]);
    assertLayout(tty, 200);
    tty.keys('Escape');
    await tty.waitFor(/│ client15 /);

    tty.keys('C-c');
    const last = await tty.waitFor(/EXIT 0/, 30_000);
    assert.match(last, /stopped server/);
  });
});

describe('show in line mode', function () {
  let prefix: string;
  beforeEach(() => (prefix = uniquePrefix('lvshow')));
  afterEach(() => removePrefixFiles(prefix));

  it('prints ring fill, CPU and a sparkline that rose with net_null traffic', async () => {
    const sh = mpsh('shell', ['--file-prefix', prefix, '--vdev=net_null0', '--vdev=net_null1']);
    await sh.waitFor(/simple_mp > /, 20_000);
    const out = await sh.command('spawn server --clients 2 --start-clients', 30_000);
    [...out.matchAll(/\(pid (\d+)\)/g)].forEach((m) => adopt(Number(m[1])));
    await sleep(2500);
    const c1 = await sh.command('show client1');
    assert.match(c1, /^client1: client, pid \d+, running/);
    assert.match(c1, /ring MProc_Client_1_RX: \d+ of \d+ entries \([\d.]+%\) · ring drops \d/);
    assert.match(c1, /cpu [\d.]+% now, [\d.]+% average since start \(user [\d.]+ s, sys [\d.]+ s\)/);
    assert.match(c1, /lcores, affinity \(now on\): main cpus [\d,-]+.*, lcore \d+ cpus [\d,-]+/);
    assert.match(c1, /heartbeat [\d.]+ ms ago · idle policy (poll|interrupt|adaptive)/);
    assert.match(c1, /mempool MProc_pktmbuf_pool: \d+ of \d+ in use/);
    // Traffic since the start: the last minute rose from nothing, so some glyph is above the floor.
    const spark = /\n {2}rx\/s (.{40}) peak [\d.]+[kMG], since start [\d.]+[kMG]\n/.exec(c1);
    assert.ok(spark, c1);
    assert.match(spark[1]!, /[▂▃▄▅▆▇█]/);
    const server = await sh.command('show server');
    assert.match(
      server,
      /distribution: share of the [\d.]+[kMG]? packets put in client rings, and rate now\n {4}client0 [\d.]+% [\d.]+[kMG]?\/s +client1 [\d.]+% /,
    );
    const bad = await sh.command('show nobody');
    assert.equal(bad, "show: no process named 'nobody': ps lists them");
    sh.write('quit');
    await sh.waitFor(/stopped server/, 20_000);
    assert.equal((await sh.waitExit()).code, 0);
  });
});
