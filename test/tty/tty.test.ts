/** The whole app in a real terminal (tmux): two shells exchange messages; editing keys work. */
import assert from 'node:assert/strict';
import { MPSH_BIN, ROOT } from '../../harness/repo.js';
import { TmuxSession } from '../../harness/tmux.js';
import { removePrefixFiles, uniquePrefix } from '../../harness/proc.js';

describe('TTY screen through tmux', function () {
  let prefix: string;
  const panes: TmuxSession[] = [];
  const open = () => {
    const p = TmuxSession.start({ cwd: ROOT, argv: [process.execPath, MPSH_BIN, '--file-prefix', prefix], columns: 120, rows: 30, showExit: true });
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
    await pri.waitFor(/core \d+: Received 'hello {2}tty'/);

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

  it('shows live worker counters in a panel and stops the workers on Ctrl-C', async () => {
    const sh = open();
    await sh.waitFor(/primary · prefix mt-tty/);
    sh.type('spawn symmetric 1');
    sh.keys('Enter');
    // A row per process with totals in human units and a non-zero rate, refreshed while we watch.
    const first = await sh.waitFor(/sym0 +\d+ running +\d+s +[\d.]+[kMG] +[\d.]+[kMG] +0 +[\d.]+[kMG]/, 20_000);
    assert.match(first, /TOTALS +RX +TX +DROP +RX\/s +TX\/s +DEVICE[│\s]+port 0 +[\d.]+[kMG] .* net_null0 /);
    const rx = (screen: string) => /sym0 +\d+ running +\d+s +([\d.]+[kMG])/.exec(screen)?.[1];
    await new Promise((r) => setTimeout(r, 1200));
    assert.notEqual(rx(sh.capture()), rx(first), 'the panel refreshes');
    sh.keys('C-c');
    const last = await sh.waitFor(/EXIT 0/, 20_000);
    assert.match(last, /stopped sym0/);
  });
});
