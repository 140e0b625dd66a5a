/** The Ink screen rendered with ink-testing-library over a real session store. */
import assert from 'node:assert/strict';
import { render } from 'ink-testing-library';
import { CommandRegistry } from '../../src/commands/registry.js';
import { Session } from '../../src/core/session.js';
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
    complete: (line: string) =>
      registry.complete({ session, simpleMp: null, control: null, commands: registry.commands, requestQuit() {} }, line),
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
    assert.match(ui.lastFrame()!, /simple_mp > send a  b/);
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
