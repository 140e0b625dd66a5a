/**
 * Hostile input at a real terminal (tmux): pastes of up to 1 MB, a Ctrl-C
 * in the middle of one, and a peer that sends terminal escapes.
 */
import assert from 'node:assert/strict';
import { mpsh, mpshBin, removePrefixFiles, uniquePrefix } from '../../harness/proc.js';
import { TmuxPane } from './pane.js';

const MB = 1024 * 1024;

describe('TTY input through tmux', function () {
  let prefix: string;
  let pane: TmuxPane;
  beforeEach(async () => {
    prefix = uniquePrefix('ttyin');
    pane = new TmuxPane([process.execPath, mpshBin, '--file-prefix', prefix]);
    await pane.waitFor(/primary · prefix mt-ttyin/);
  });
  afterEach(() => {
    pane.close();
    removePrefixFiles(prefix);
  });

  it('a 1 MB line pasted at the prompt is refused whole; the prompt stays one line and keeps working', async () => {
    pane.paste(`send ${'x'.repeat(MB)}`);
    // The prompt shows a window of the line, not a screenful.
    const editing = await pane.waitFor(/simple_mp > …x+ *\n.*primary ·/);
    assert.equal(editing.split('\n').filter((l) => /x{20}/.test(l)).length, 1, editing);
    pane.keys('Enter');
    await pane.waitFor(/line too long \(over 4096 characters\): nothing was run/);
    pane.type('pools');
    pane.keys('Enter');
    await pane.waitFor(/MSG_POOL: 0 in use/);
  });

  it('1 MB of pasted commands run in order; a Ctrl-C after them drops those not yet run and the shell goes on', async () => {
    // 64 KB first: every line runs, in order, the last one last.
    const lines = Array.from({ length: 8192 }, () => 'help ps').join('\n');
    pane.paste(`${lines}\nsend last-of-paste\n`);
    await pane.waitFor(/simple_mp > send last-of-paste\s*\n(.*\n)?simple_mp >/, 60_000);
    // Then 1 MB, and Ctrl-C right behind it.
    pane.paste('pools\n'.repeat(MB / 6));
    pane.keys('C-c');
    const screen = await pane.waitFor(/interrupted: \d+ lines not run/, 60_000);
    assert.ok(Number(/interrupted: (\d+) lines/.exec(screen)![1]) > 0);
    pane.type('send still here');
    pane.keys('Enter');
    // Its answer, not its echo: the echo shows while the line is typed, and a
    // busy shell may still have it queued (a Ctrl-C then drops it instead of quitting).
    await pane.waitFor(/simple_mp > send still here\s*\n.*no secondary is attached/, 20_000);
    // Ctrl-C with nothing pending still quits.
    pane.keys('C-c');
    await pane.waitFor(/EXIT 0/, 20_000);
  });

  it("a peer's OSC title and clear-screen sequences are shown as text and do nothing", async () => {
    const before = pane.title();
    const sec = mpsh('secondary', ['--file-prefix', prefix]);
    await sec.waitFor(/simple_mp > /, 20_000);
    await sec.command('send \x1b]2;pwned-title\x07\x1b[2Jafter-clear');
    await pane.waitFor(/Received '\\e\]2;pwned-title\\x07\\e\[2Jafter-clear'/);
    assert.equal(pane.title(), before);
    assert.notEqual(pane.title(), 'pwned-title');
  });
});
