/** The live panel's layouts, rendered by Ink at real terminal sizes over a real session store. */
import assert from 'node:assert/strict';
import { CommandRegistry } from '../../src/commands/registry.js';
import { Session } from '../../src/core/shell/session.js';
import type { GroupStats, ProcessRow } from '../../src/core/observe/stats/types.js';
import { App, type ShellPort } from '../../src/ui/App.js';
import { renderSized, widthOf } from '../helpers/inkFrames.js';

const tick = () => new Promise((r) => setTimeout(r, 40));

function fakeShell(): ShellPort & { lines: string[] } {
  const session = new Session();
  const registry = new CommandRegistry();
  session.interactive = true;
  session.setStatus({ processType: 'primary', filePrefix: 'panel', lcores: [0, 1], ports: 2, mode: 'simple_mp' });
  const ctx = { session, simpleMp: null, control: null, commands: registry.commands, requestQuit() {} };
  const shell = {
    session,
    lines: [] as string[],
    async execute(line: string) {
      shell.lines.push(line);
      await registry.execute(ctx, line);
    },
    complete: (line: string) => registry.complete(ctx, line),
    requestQuit() {},
  };
  return shell;
}

const client = (id: number, pps: number, state = 'running', extra: Partial<ProcessRow> = {}): ProcessRow => ({
  name: `client${id}`,
  role: 'client',
  pid: 5000 + id,
  state,
  uptimeMs: state === 'running' ? 61_000 : 0,
  ports: [],
  client: { id, rx: pps * 60, rxDrop: 0, tx: pps * 60, txDrop: 0, rxPps: pps, txPps: pps, skipped: state !== 'running' },
  ...extra,
});

function group(at: number, clients: number, pps: (id: number) => number, states: Record<number, string> = {}): GroupStats {
  const procs: ProcessRow[] = [
    {
      name: 'server',
      role: 'server',
      pid: 4999,
      state: 'running',
      uptimeMs: 62_000,
      ports: [0, 1].map((p) => ({ port: p, rx: 1e9, tx: 0, drop: 0, rxPps: 2e6, txPps: 0 })),
      noClientDrop: 0,
    },
  ];
  for (let i = 0; i < clients; i++) procs.push(client(i, pps(i), states[i]));
  return { at, processes: procs, ports: [0, 1].map((p) => ({ port: p, rx: 1e9, tx: 1e9, drop: 0, rxPps: 2e6, txPps: 2e6 })) };
}

/** 60 s of samples, 4 a second, so the history is full. */
function feed(session: Session, clients: number, pps: (id: number, t: number) => number, states: Record<number, string> = {}): void {
  const start = Date.now() - 60_000;
  for (let t = 0; t <= 240; t++) session.setGroup(group(start + t * 250, clients, (id) => pps(id, t), states));
}

/** The panel's lines: from its top border to its bottom one. */
function panel(frame: string): string[] {
  const lines = frame.split('\n');
  const top = lines.findIndex((l) => l.startsWith('╭'));
  const bottom = lines.findIndex((l) => l.startsWith('╰'));
  assert.ok(top >= 0 && bottom > top, `a panel in\n${frame}`);
  return lines.slice(top, bottom + 1);
}

function assertHolds(frame: string, columns: number, rows: number): string[] {
  const lines = frame.split('\n');
  assert.ok(lines.length <= rows - 1, `${lines.length} lines fit in ${rows} rows:\n${frame}`);
  for (const l of lines) assert.ok(widthOf(l) <= columns, `no line wider than ${columns}: '${l}' (${widthOf(l)})`);
  const box = panel(frame);
  for (const l of box) assert.equal(widthOf(l), columns, `every panel line ends at the right border: '${l}'`);
  for (const l of box.slice(1, -1)) assert.ok(l.endsWith('│'), `right border in column ${columns}: '${l}'`);
  return box;
}

describe('Live panel layouts', () => {
  it('80×24 with 16 clients: rows fit, hidden rows are counted, PgDn shows them, totals keep their own headers', async () => {
    const shell = fakeShell();
    feed(shell.session, 16, (id, t) => (id + 1) * 1000 * (1 + Math.floor(t / 40)));
    const ui = renderSized(<App shell={shell} />, 80, 24);
    await tick();
    const box = assertHolds(ui.lastFrame(), 80, 24);
    const head = box.find((l) => /NAME/.test(l))!;
    assert.match(head, /NAME▲?\s+.*STATE\s+.*RX\/s\s+TX\/s\s+PEAK\s+RX\/s(, last)? 60 s/);
    // At 80 columns the counters stay (PID and UP go first), the order is marked, the header is whole.
    assert.match(head, /^│ NAME▲ +STATE +(UP +)?RX +TX +DROP +RX\/s +TX\/s +PEAK +RX\/s(, last)? 60 s *│$/);
    const note = box.find((l) => /hidden/.test(l));
    assert.ok(note, 'a hidden-rows note');
    const m = /rows 1-(\d+) of 17, (\d+) hidden \(PgUp\/PgDn\)/.exec(note!)!;
    assert.ok(m, note);
    assert.equal(Number(m[1]) + Number(m[2]), 17);
    const shownNames = box.filter((l) => /│ (server|client\d+) /.test(l)).length;
    assert.equal(shownNames, Number(m[1]));
    assert.match(
      box.find((l) => /TOTALS/.test(l))!,
      /TOTALS\s+RX\s+TX\s+DROP\s+RX\/s\s+TX\/s/,
    );
    assert.match(box.join('\n'), /port 0\s+1\.00G\s+1\.00G\s+0\s+2\.00M\s+2\.00M/);
    // Sparklines, scaled per row: the slowest client's rise reaches the top glyph too.
    const c0 = box.find((l) => /│ client0 /.test(l))!;
    assert.match(c0, /[▁▂▃▄▅▆▇]+█/);
    assert.match(ui.lastFrame(), /empty prompt: < > sort · \/ filter/);

    ui.stdin.write('\x1b[6~'); // PgDn
    await tick();
    const next = assertHolds(ui.lastFrame(), 80, 24);
    assert.ok(
      next.some((l) => /│ client15 /.test(l)),
      'the last client after PgDn',
    );
    assert.match(
      next.find((l) => /hidden/.test(l))!,
      /of 17/,
    );
    ui.unmount();
  });

  it('200×60 with 16 clients: every row visible, a minute of history a character per second', async () => {
    const shell = fakeShell();
    feed(shell.session, 16, (id, t) => (t > 120 ? 4_500_000 : 1000 * (id + 1)));
    const ui = renderSized(<App shell={shell} />, 200, 60);
    await tick();
    const box = assertHolds(ui.lastFrame(), 200, 60);
    assert.ok(!box.some((l) => /hidden/.test(l)), 'nothing hidden');
    for (const n of ['server', ...Array.from({ length: 16 }, (_, i) => `client${i}`)])
      assert.ok(
        box.some((l) => l.includes(`│ ${n} `)),
        n,
      );
    const head = box.find((l) => /NAME/.test(l))!;
    assert.match(head, /NAME▲?\s+PID\s+STATE\s+UP\s+RX\s+TX\s+DROP\s+RX\/s\s+TX\/s\s+PEAK\s+RX\/s, last 60 s/);
    const c3 = box.find((l) => l.includes('│ client3 '))!;
    assert.match(c3, /4\.50M\s+4\.50M\s+4\.50M ▂{20,}[▂█]█{20,}/);
    ui.unmount();
  });

  it('killed and restarted rows: the state column widens for every row, flags only while running', async () => {
    const shell = fakeShell();
    feed(shell.session, 3, () => 0, { 1: 'killed (SIGKILL)' });
    // client2 restarted: a new pid under its name.
    const g = group(Date.now(), 3, () => 0, { 1: 'killed (SIGKILL)' });
    g.processes[3] = client(2, 0, 'running', { pid: 7777, idle: true, uptimeMs: 2000 });
    shell.session.setGroup(g);
    const ui = renderSized(<App shell={shell} />, 80, 24);
    await tick();
    const box = assertHolds(ui.lastFrame(), 80, 24);
    const killed = box.find((l) => l.includes('│ client1 '))!;
    assert.doesNotMatch(killed, /skipped/);
    const idle = box.find((l) => l.includes('│ client2 '))!;
    const head = box.find((l) => /NAME/.test(l))!;
    // Every state starts under STATE and ends before the next column, whose values end under their title.
    const at = head.indexOf('STATE');
    assert.equal(killed.indexOf('killed (SIGKILL)'), at);
    assert.equal(idle.indexOf('running (idle)'), at);
    const dropEnd = head.indexOf('DROP') + 'DROP'.length;
    for (const l of [killed, idle]) assert.match(l.slice(0, dropEnd + 1), /\S $/, `a value ends under DROP in '${l}'`);
    assert.equal(shell.session.snapshot().history.of('client2')!.restarts, 1);
    ui.unmount();
  });

  it('sort, filter, keys on an empty prompt, freeze and resume', async () => {
    const shell = fakeShell();
    feed(shell.session, 4, (id) => (id + 1) * 1000);
    const ui = renderSized(<App shell={shell} />, 120, 40);
    await tick();
    const order = () =>
      panel(ui.lastFrame())
        .map((l) => /│ (server|client\d+) /.exec(l)?.[1])
        .filter(Boolean);
    assert.deepEqual(order(), ['server', 'client0', 'client1', 'client2', 'client3']);
    await shell.execute('sort rx/s');
    await tick();
    assert.deepEqual(order(), ['server', 'client3', 'client2', 'client1', 'client0']);
    const head = () => panel(ui.lastFrame()).find((l) => /NAME/.test(l))!;
    assert.match(head(), /NAME +.*RX\/s▼ +TX\/s /);
    await shell.execute('sort rx/s');
    await tick();
    assert.deepEqual(order(), ['client0', 'client1', 'client2', 'client3', 'server']);
    assert.match(head(), /NAME +.*RX\/s▲ +TX\/s /);
    ui.stdin.write('>'); // next column after rx/s: tx/s
    await tick();
    assert.equal(shell.session.view.sort?.column, 'tx/s');
    ui.stdin.write('/');
    await tick();
    assert.match(ui.lastFrame(), /simple_mp > filter\s*$/m);
    ui.stdin.write('client2\r');
    await tick();
    assert.deepEqual(order(), ['client2']);
    assert.match(ui.lastFrame(), /4 filtered out by 'client2'/);
    ui.stdin.write('\x1b'); // Esc clears the filter
    await tick();
    assert.equal(order().length, 5);
    // '<' typed inside a line is text, not a key.
    ui.stdin.write('send a<b');
    await tick();
    assert.match(ui.lastFrame(), /simple_mp > send a<b/);
    ui.stdin.write('\x15');
    await shell.execute('freeze');
    const frozen = panel(ui.lastFrame()).join('\n');
    shell.session.setGroup(group(Date.now(), 6, () => 1));
    await tick();
    assert.equal(panel(ui.lastFrame()).join('\n').includes('client5'), false, 'no redraw while frozen');
    assert.ok(frozen.length > 0);
    await shell.execute('resume');
    await tick();
    assert.ok(
      panel(ui.lastFrame()).some((l) => l.includes('│ client5 ')),
      'redrawn on resume',
    );
    ui.unmount();
  });

  it('the idle flag is shown only for a loop that moved nothing', async () => {
    const shell = fakeShell();
    const g = group(Date.now(), 2, (id) => (id === 0 ? 4_500_000 : 0));
    g.processes[1]!.idle = false;
    g.processes[2]!.idle = true;
    shell.session.setGroup(g);
    const ui = renderSized(<App shell={shell} />, 80, 24);
    await tick();
    const box = panel(ui.lastFrame());
    assert.doesNotMatch(
      box.find((l) => l.includes('│ client0 '))!,
      /idle/,
    );
    assert.match(
      box.find((l) => l.includes('│ client1 '))!,
      /running \(idle\)/,
    );
    ui.unmount();
  });

  it('the focused detail view fits the terminal and says how many lines did not', async () => {
    const shell = fakeShell();
    feed(shell.session, 2, () => 1000);
    shell.session.setView({ focus: 'server' });
    shell.session.setDetail(Array.from({ length: 30 }, (_, i) => `detail line ${i} `.padEnd(120, 'x')));
    const ui = renderSized(<App shell={shell} />, 80, 24);
    await tick();
    const box = assertHolds(ui.lastFrame(), 80, 24);
    assert.match(box[1]!, /│ detail line 0 x+ │/);
    const shown = box.filter((l) => /detail line/.test(l)).length;
    assert.match(box.at(-2)!, new RegExp(`… ${30 - shown} more lines: a taller terminal shows them`));
    assert.match(ui.lastFrame(), /showing server · Esc: back to the table/);
    ui.stdin.write('\x1b');
    await tick();
    assert.equal(shell.session.view.focus, null);
    assert.ok(
      panel(ui.lastFrame()).some((l) => l.includes('│ server ')),
      'the table again',
    );
    ui.unmount();
  });
});
