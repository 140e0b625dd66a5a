/**
 * Every key or sequence a terminal can send is handled or ignored, never
 * fatal (issue 19 item 1: Ctrl+F1 or `\e[31m` as input ended the shell with
 * a TypeError from Ink's useInput) and never inserted into the line.
 */
import assert from 'node:assert/strict';
import { mpshBin, removePrefixFiles, uniquePrefix } from '../../harness/proc.js';
import { TmuxPane } from './pane.js';

/** Literal sequences: the reported ones, modified F-keys and arrows, bracketed paste markers, mouse reports, kitty keys. */
const SEQUENCES = [
  '\x1b[1;5P', // Ctrl+F1
  '\x1b[31m',
  '\x1b[5m',
  '\x1b[0m',
  '\x1b[?1049h',
  '\x1b[15;5~', // Ctrl+F5
  '\x1b[24;8~', // Ctrl+Alt+Shift+F12
  '\x1b[1;3D', // Alt+Left
  '\x1b[1;6Q',
  '\x1b[99;2~',
  '\x1b[200~',
  '\x1b[201~',
  '\x1b[<0;10;5M', // SGR mouse press and release
  '\x1b[<0;10;5m',
  '\x1b[M !!', // X10 mouse report
  '\x1b[99;5u', // kitty Ctrl+C is a key, not a quit: kitty's Ctrl+letter with a flag we never asked for
  '\x1b[57399u',
  '\x1bOx',
  '\x1b[[A',
  '\x1b[Z',
];

/** The same through tmux's key names, as a terminal sends them. */
const KEY_NAMES = Array.from({ length: 12 }, (_, i) => ['', 'C-', 'S-', 'M-', 'C-S-'].map((m) => `${m}F${i + 1}`)).flat();

for (const [columns, rows] of [
  [100, 30],
  [80, 24],
] as const) {
  describe(`TTY keys through tmux at ${columns}x${rows}`, function () {
    let prefix: string;
    let pane: TmuxPane;
    beforeEach(async () => {
      prefix = uniquePrefix('ttykey');
      pane = new TmuxPane([process.execPath, mpshBin, '--file-prefix', prefix], columns, rows);
      await pane.waitFor(/primary · prefix mt-ttykey/);
    });
    afterEach(() => {
      pane.close();
      removePrefixFiles(prefix);
    });

    it('unknown escape sequences and modified F-keys are ignored: the shell answers the next command', async () => {
      for (const s of SEQUENCES.filter((x) => x !== '\x1b[99;5u')) pane.type(s);
      for (const k of KEY_NAMES) pane.keys(k);
      pane.type('pools');
      pane.keys('Enter');
      // The echo holds exactly what was typed: nothing of the sequences went into the line.
      const screen = await pane.waitFor(/simple_mp > pools\n(.*\n)*.*MSG_POOL: 0 in use/);
      assert.doesNotMatch(screen, /TypeError|EXIT/);
    });
  });
}
