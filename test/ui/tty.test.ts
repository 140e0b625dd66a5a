/** The whole app in a real terminal (tmux): two shells exchange messages; editing keys work. */
import assert from 'node:assert/strict';
import { mpshBin, removePrefixFiles, uniquePrefix } from '../helpers/proc.js';
import { TmuxPane } from '../helpers/tmux.js';

describe('TTY screen through tmux', function () {
  let prefix: string;
  const panes: TmuxPane[] = [];
  const open = () => {
    const p = new TmuxPane([process.execPath, mpshBin, '--file-prefix', prefix]);
    panes.push(p);
    return p;
  };
  beforeEach(() => (prefix = uniquePrefix('tty')));
  afterEach(() => {
    panes.splice(0).forEach((p) => p.close());
    removePrefixFiles(prefix);
  });

  it('two shells exchange messages; Tab, history and Ctrl-D work', async () => {
    const pri = open();
    await pri.waitFor(/primary · prefix mt-tty.* · ports 2 · simple_mp/);
    const sec = open();
    await sec.waitFor(/secondary · prefix mt-tty/);

    sec.type('send hello  tty');
    sec.keys('Enter');
    await pri.waitFor(/core \d+: Received 'hello  tty'/);

    pri.type('he');
    pri.keys('Tab');
    await pri.waitFor(/simple_mp > help/);
    pri.keys('Enter');
    await pri.waitFor(/send <text> +send a string/);
    pri.keys('Up');
    await pri.waitFor(/simple_mp > help\s*\n.*primary/);
    pri.keys('C-u');
    pri.type('send back');
    pri.keys('Enter');
    await sec.waitFor(/Received 'back'/);

    sec.keys('C-d');
    await sec.waitFor(/EXIT 0/);
    pri.keys('C-c');
    const screen = await pri.waitFor(/EXIT 0/);
    assert.doesNotMatch(screen, /Error|at .*\.js:\d+/);
  });
});
