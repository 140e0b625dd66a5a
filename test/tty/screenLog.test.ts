/**
 * The log on the TTY screen as a user reads it (issue 18 items 7 and 9): each
 * command's echo then its answer, each once; a JSON document on one line.
 */
import assert from 'node:assert/strict';
import { mpshBin, removePrefixFiles, sleep, uniquePrefix } from '../../harness/proc.js';
import { TmuxPane } from './pane.js';

const count = (screen: string, text: string) => screen.split(text).length - 1;

for (const [columns, rows] of [
  [100, 30],
  [80, 24],
] as const) {
  describe(`TTY log at ${columns}x${rows}`, function () {
    let prefix: string;
    let pane: TmuxPane;
    beforeEach(async () => {
      prefix = uniquePrefix('ttylog');
      pane = new TmuxPane([process.execPath, mpshBin, '--file-prefix', prefix], columns, rows);
      await pane.waitFor(/primary · prefix mt-ttylog/);
    });
    afterEach(() => {
      pane.close();
      removePrefixFiles(prefix);
    });

    it('sort, filter, freeze, resume and show: the echo, then the confirmation, each once', async () => {
      // The first screen says where to start (issue 18 item 12), within the width.
      const first = await pane.waitFor(/^type help for the commands · Tab completes/m);
      assert.ok(first.split('\n').every((l) => l.length <= columns));
      const steps: [string, string][] = [
        ['sort rx', 'sorted by rx, highest first'],
        ['filter sym', "showing processes matching 'sym'"],
        ['freeze', 'panel frozen'],
        ['resume', 'panel live'],
        ['filter', 'showing every process'],
        ['sort off', 'sorted by name'],
      ];
      for (const [line, answer] of steps) {
        pane.type(line);
        pane.keys('Enter');
        const screen = await pane.waitFor(new RegExp(`simple_mp > ${line}\\n${answer}`));
        assert.equal(count(screen, `simple_mp > ${line}\n`), 1, screen);
        assert.equal(count(screen, answer), 1, screen);
      }
    });

    it('stats --json: one JSON document on one line, which the terminal soft-wraps', async () => {
      // A worker, so the document is longer than a row.
      pane.type('spawn symmetric 1');
      pane.keys('Enter');
      await pane.waitFor(/sym0 +(\d+ +)?running/, 20_000);
      pane.type('stats --json');
      pane.keys('Enter');
      // The document (every pool, ring and memzone of the prefix too) may be taller than the screen: read the scrollback.
      let doc = '';
      for (const deadline = Date.now() + 15_000; !doc.endsWith('}') && Date.now() < deadline; await sleep(200)) {
        const joined = pane.capture(true, true).split('\n');
        const at = joined.findIndex((l) => l.startsWith('simple_mp > stats --json'));
        doc = at >= 0 ? (joined[at + 1] ?? '').trimEnd() : '';
      }
      assert.ok(doc.length > columns, `longer than a row, so wrapped by the terminal: ${doc}`);
      assert.equal(typeof JSON.parse(doc), 'object');
    });

    it('help fits the screen: every command, summaries under a hanging indent, nothing at column 0', async () => {
      pane.type('help');
      pane.keys('Enter');
      const screen = await pane.waitFor(/Keys: on an empty prompt/);
      const lines = screen.split('\n');
      const first = lines.findIndex((l) => l.startsWith("Commands ('help <command>' explains one"));
      const keys = lines.findIndex((l) => l.startsWith('Keys: '));
      assert.ok(first > 0 && lines[first - 1] === 'simple_mp > help', `the whole help on one screen:\n${screen}`);
      for (const l of lines.slice(first + 1, keys)) assert.match(l, /^ {2}\S/, screen);
      for (const name of ['send', 'spawn', 'sort', 'clear', 'quit']) assert.match(screen, new RegExp(`^ {2}${name}\\b| {2}${name}\\b`, 'm'));
    });
  });
}
