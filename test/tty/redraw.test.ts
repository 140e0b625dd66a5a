/**
 * A clean screen after a resize, Ctrl-L or `clear` (issue 18 item 11): no
 * piece of an old frame, reflowed by the terminal or written over it by
 * someone else, stays on screen.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { mpshBin, removePrefixFiles, uniquePrefix } from '../../harness/proc.js';
import { TmuxPane } from './pane.js';

const count = (screen: string, text: string) => screen.split(text).length - 1;

describe('TTY redraw through tmux', function () {
  let prefix: string;
  let pane: TmuxPane;
  beforeEach(async () => {
    prefix = uniquePrefix('redraw');
    pane = new TmuxPane([process.execPath, mpshBin, '--file-prefix', prefix], 100, 30);
    await pane.waitFor(/primary · prefix mt-redraw/);
  });
  afterEach(() => {
    pane.close();
    removePrefixFiles(prefix);
  });

  it('100 → 80 columns with the panel up: one frame, every panel row within its borders', async () => {
    pane.type('spawn symmetric 1');
    pane.keys('Enter');
    await pane.waitFor(/sym0 +(\d+ +)?running/, 20_000);
    pane.resize(80, 24);
    await new Promise((r) => setTimeout(r, 1500));
    const screen = await pane.waitFor(/sym0 +(\d+ +)?running/);
    const lines = screen.split('\n');
    assert.equal(count(screen, '╭'), 1, screen);
    assert.equal(count(screen, '╰'), 1, screen);
    assert.equal(count(screen, 'primary · prefix'), 1, screen);
    const top = lines.findIndex((l) => l.startsWith('╭'));
    const bottom = lines.findIndex((l) => l.startsWith('╰'));
    for (const l of lines.slice(top + 1, bottom)) assert.match(l, /^│.*│$/, screen);
    assert.ok(lines.every((l) => [...l].length <= 80));
    // show's confirmation follows its echo, once (issue 18 item 7).
    pane.type('show sym0');
    pane.keys('Enter');
    const shown = await pane.waitFor(/simple_mp > show sym0\nshowing sym0: Esc/);
    assert.equal(count(shown, 'showing sym0: Esc'), 1, shown);
  });

  it('Ctrl-L redraws: text written over the screen by another program goes', async () => {
    pane.type('pools');
    pane.keys('Enter');
    await pane.waitFor(/MSG_POOL: 0 in use/);
    const tty = spawnSync('tmux', ['-L', pane.socket, 'display-message', '-p', '#{pane_tty}'], { encoding: 'utf8' }).stdout.trim();
    fs.writeFileSync(tty, '\r\nSTRAY LINE FROM wall(1)\r\n\r\n');
    await pane.waitFor(/STRAY LINE/);
    pane.keys('C-l');
    const screen = await pane.waitFor(/MSG_POOL: 0 in use/);
    await new Promise((r) => setTimeout(r, 500));
    assert.doesNotMatch(pane.capture(), /STRAY LINE/, screen);
    assert.equal(count(pane.capture(), 'primary · prefix'), 1);
  });

  it('clear empties the screen; the prompt and status line stay and the shell goes on', async () => {
    pane.type('list');
    pane.keys('Enter');
    await pane.waitFor(/net_null1/);
    pane.type('clear');
    pane.keys('Enter');
    // The screen is the empty prompt and the status line alone, from its first row
    // (before the clear, the same two lines stand at the bottom, under the list).
    const screen = await pane.waitFor(/^simple_mp > *\n.*primary · prefix/);
    assert.doesNotMatch(screen, /net_null1|simple_mp > list|unknown command/, screen);
    assert.equal(screen.trim().split('\n').length, 2, screen);
    pane.type('pools');
    pane.keys('Enter');
    await pane.waitFor(/simple_mp > pools\nMSG_POOL: 0 in use/);
  });
});
