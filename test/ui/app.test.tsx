/** The Ink screen rendered with ink-testing-library over a real session store. */
import assert from 'node:assert/strict';
import { render } from 'ink-testing-library';
import { CommandRegistry } from '../../src/commands/registry.js';
import { Session } from '../../src/core/shell/session.js';
import { App, type ShellPort } from '../../src/ui/App.js';

const tick = () => new Promise((r) => setTimeout(r, 30));

function fakeShell(): ShellPort & { lines: string[]; quits: number } {
  const session = new Session();
  const registry = new CommandRegistry();
  session.setStatus({ processType: 'primary', filePrefix: 'uitest', lcores: [32, 33], ports: 2, mode: 'simple_mp' });
  const shell = {
    session,
    lines: [] as string[],
    quits: 0,
    async execute(line: string) {
      shell.lines.push(line);
    },
    complete: (line: string) => registry.complete({ session, simpleMp: null, control: null, commands: registry.commands, requestQuit() {} }, line),
    requestQuit() {
      shell.quits++;
    },
  };
  return shell;
}

describe('Ink screen', () => {
  it('shows the log, the prompt and the status line', async () => {
    const shell = fakeShell();
    const ui = render(<App shell={shell} />);
    shell.session.append('message', "core 33: Received 'hello'");
    await tick();
    const frame = ui.lastFrame()!;
    assert.match(frame, /core 33: Received 'hello'/);
    assert.match(frame, /^simple_mp >$/m);
    assert.match(frame, /primary · prefix uitest · lcores 32,33 · ports 2 · simple_mp/);
    ui.unmount();
  });

  it('edits a line, submits it, recalls it from history and completes commands', async () => {
    const shell = fakeShell();
    const ui = render(<App shell={shell} />);
    await tick();
    ui.stdin.write('send a  b');
    await tick();
    ui.stdin.write('\r');
    await tick();
    assert.deepEqual(shell.lines, ['send a  b']);
    ui.stdin.write('\x1b[A'); // Up
    await tick();
    assert.match(ui.lastFrame()!, /simple_mp > send a {2}b/);
    ui.stdin.write('\x15'); // Ctrl-U clears
    ui.stdin.write('he\t');
    await tick();
    assert.match(ui.lastFrame()!, /simple_mp > help$/m);
    ui.stdin.write('\x15');
    await tick();
    ui.stdin.write('\x04'); // Ctrl-D on an empty line
    await tick();
    assert.equal(shell.quits, 1);
    ui.unmount();
  });

  it('submits every line of a pasted chunk in order', async () => {
    const shell = fakeShell();
    const ui = render(<App shell={shell} />);
    await tick();
    ui.stdin.write('send one\rsend two\r');
    await tick();
    assert.deepEqual(shell.lines, ['send one', 'send two']);
    ui.unmount();
  });

  it('shows a live counter panel: a row per process, human units, port totals under their own headers', async () => {
    const shell = fakeShell();
    const ui = render(<App shell={shell} />);
    const port = (p: number, rx: number, pps: number) => ({ port: p, rx, tx: rx, drop: 7, rxPps: pps, txPps: pps });
    shell.session.setGroup({
      at: Date.now(),
      processes: [
        {
          name: 'sym0',
          role: 'symmetric',
          pid: 4242,
          state: 'running',
          uptimeMs: 65_000,
          procId: 0,
          idle: false,
          ports: [port(0, 12_345_678, 20_100_000), port(1, 999, 0)],
        },
        { name: 'sym1', role: 'symmetric', pid: 4343, state: 'killed (SIGKILL)', uptimeMs: 0, procId: 1, ports: [port(0, 5_000_000_000, 0)] },
      ],
      ports: [port(0, 5_012_345_678, 20_100_000), port(1, 999, 0)],
    });
    await tick();
    const frame = ui.lastFrame()!;
    assert.match(frame, /NAME▲?\s+PID\s+STATE\s+UP\s+RX\s+TX\s+DROP\s+RX\/s\s+TX\/s\s+PEAK\s+RX\/s, last 60 s/);
    // Per process: its ports summed (12,345,678 + 999), drops of both ports.
    assert.match(frame, /sym0\s+4242\s+running\s+1m05s\s+12\.3M\s+12\.3M\s+14\s+20\.1M\s+20\.1M\s+20\.1M\s+█/);
    assert.match(frame, /sym1\s+4343\s+killed \(SIGKILL\)\s+-\s+5\.00G\s+5\.00G\s+7\s+0\s+0\s+0\s+▁/);
    assert.match(frame, /TOTALS\s+RX\s+TX\s+DROP\s+RX\/s\s+TX\/s[│\s]+port 0\s+5\.01G\s+5\.01G\s+7\s+20\.1M\s+20\.1M/);
    ui.unmount();
  });

  it('aligns every value under its title, in the process table and in the port totals', async () => {
    const shell = fakeShell();
    const ui = render(<App shell={shell} />);
    const client = (id: number, rx: number) => ({ id, rx, rxDrop: 3, tx: rx - 1_000_000, txDrop: 1, rxPps: 1_500_000, txPps: 1_400_000, skipped: false });
    shell.session.setGroup({
      at: Date.now(),
      processes: [
        {
          name: 'server',
          role: 'server',
          pid: 10,
          state: 'running',
          uptimeMs: 5_000,
          ports: [{ port: 0, rx: 40_000_000, tx: 0, drop: 0, rxPps: 2_000_000, txPps: 0 }],
          noClientDrop: 0,
        },
        { name: 'client0', role: 'client', pid: 11, state: 'running', uptimeMs: 4_000, ports: [], client: client(0, 20_000_000) },
      ],
      ports: [{ port: 0, rx: 40_000_000, tx: 39_000_000, drop: 2, rxPps: 2_000_000, txPps: 1_900_000 }],
    });
    await tick();
    const lines = ui.lastFrame()!.split('\n');
    // Right-aligned columns: a value ends where its title ends.
    const endOf = (line: string, word: string) => {
      const m = new RegExp(`(^|\\s)(${word.replace(/[/]/g, '\\/')})(?=\\s|$)`).exec(line);
      assert.ok(m, `${word} in ${line}`);
      return m.index + m[0].length;
    };
    const check = (head: string, row: string, pairs: [string, string][]) => {
      for (const [title, value] of pairs) assert.equal(endOf(row, value), endOf(head, title), `${value} under ${title}`);
    };
    const head = lines.find((l) => /NAME▲?\s+PID/.test(l))!;
    const c0 = lines.find((l) => l.includes('client0'))!;
    check(head, c0, [
      ['PID', '11'],
      ['RX', '20.0M'],
      ['TX', '19.0M'],
      ['DROP', '4'],
      ['RX/s', '1.50M'],
      ['TX/s', '1.40M'],
    ]);
    const totalsHead = lines.find((l) => l.includes('TOTALS'))!;
    const total = lines[lines.indexOf(totalsHead) + 1]!;
    check(totalsHead, total, [
      ['RX', '40.0M'],
      ['TX', '39.0M'],
      ['DROP', '2'],
      ['RX/s', '2.00M'],
      ['TX/s', '1.90M'],
    ]);
    ui.unmount();
  });

  it('keeps printing new entries after the store drops old ones', async () => {
    const shell = fakeShell();
    const ui = render(<App shell={shell} />);
    for (let i = 0; i < 600; i++) shell.session.append('message', `m${i}`);
    await tick();
    shell.session.append('message', 'the newest');
    await tick();
    assert.match(ui.frames.join('\n'), /the newest/);
    ui.unmount();
  });
});
