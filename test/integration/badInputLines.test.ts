/**
 * Hostile and careless input over real processes, in line mode: whitespace
 * of every kind, bare CRs, NULs and invalid UTF-8 inside a line, terminal
 * escapes from a peer, extra arguments to every command.
 */
import assert from 'node:assert/strict';
import { mpsh, removePrefixFiles, uniquePrefix, type Proc } from '../../harness/proc.js';

describe('bad input: one line is one command', function () {
  let prefix: string;
  let pri: Proc;
  let sec: Proc;
  beforeEach(async () => {
    prefix = uniquePrefix('lines');
    pri = mpsh('primary', ['--file-prefix', prefix]);
    await pri.waitFor(/simple_mp > /, 20_000);
    sec = mpsh('secondary', ['--file-prefix', prefix]);
    await sec.waitFor(/simple_mp > /, 20_000);
  });
  afterEach(() => removePrefixFiles(prefix));

  const received = async () => (await sec.waitFor(/Received '(.*)'\n/))[1];

  it('any whitespace after the command word separates it', async () => {
    for (const [sep, name] of [
      ['\v', 'vt'],
      ['\f', 'ff'],
      ['\u00a0', 'nbsp'],
      ['\u3000', 'ideographic'],
      [' \t ', 'blanks'],
    ] as const) {
      assert.equal(await pri.command(`send${sep}${name}`), '', name);
      assert.equal(await received(), name);
    }
    assert.match(await pri.command('help\fsend'), /^usage: send <text>/);
  });

  it('a bare CR stays inside its line: sent as part of the text, never run as a second command', async () => {
    assert.equal(await pri.command('send cr\rps'), '');
    assert.equal(await received(), 'cr\\rps');
    assert.doesNotMatch(pri.out, /no processes/);
    // CRLF line endings (a script written on Windows) lose their CR.
    pri.child.stdin!.write('send crlf\r\n');
    assert.equal(await received(), 'crlf');
  });

  it('a NUL is refused by send (it would end the message), not cut short', async () => {
    assert.equal(await pri.command('send ab\0cd'), 'the text holds a NUL byte (at byte 2), which would end the message there; nothing was sent');
    assert.match(await pri.command('ps\0'), /unknown command 'ps\?'/);
    await pri.command('send after');
    assert.equal(await received(), 'after', 'nothing of the refused message arrived');
    assert.match(await pri.command('pools'), /MSG_POOL: 0 in use/);
  });

  it('bytes that are not UTF-8 are sent as they are, as stock sends them, and shown escaped', async () => {
    pri.child.stdin!.write(Buffer.concat([Buffer.from('send '), Buffer.from([0xff, 0xfe, 0x6f, 0x6b, 0xc3]), Buffer.from('\n')]));
    assert.equal(await received(), '\\xff\\xfeok\\xc3');
    // Valid UTF-8 comes through as text.
    await pri.command('send ünïcødé ✓ 😀');
    assert.equal(await received(), 'ünïcødé ✓ 😀');
  });

  it("a peer's terminal escapes are shown, not obeyed", async () => {
    const osc = '\x1b]2;pwned\x07';
    const csi = '\x1b[2J\x1b[H';
    await sec.command(`send ${osc}${csi}\x9b31m\u202etxt`);
    const m = await pri.waitFor(/Received '(.*)'\n/);
    assert.equal(m[1], '\\e]2;pwned\\x07\\e[2J\\e[H\\x9b31m\\u{202e}txt');
    assert.ok(!pri.out.includes('\x1b') && !pri.out.includes('\x07') && !pri.out.includes('\x9b'), 'no raw control character reaches the output');
  });
});

describe('bad input: extra arguments', function () {
  let prefix: string;
  beforeEach(() => (prefix = uniquePrefix('extra')));
  afterEach(() => removePrefixFiles(prefix));
  const cases: [string, RegExp][] = [
    ['ps x', /^ps takes no arguments; 'x' is extra: usage: ps$/],
    ['ps x y', /^ps takes no arguments; 'x y' is extra: usage: ps$/],
    ['pools x', /^pools takes no arguments; 'x' is extra: usage: pools$/],
    ['quit now', /^quit takes no arguments; 'now' is extra: usage: quit$/],
    ['logs sym0 2 3', /^logs takes at most 2 arguments; '3' is extra: usage: logs <name> \[lines\]$/],
    ['stats --json x', /^stats takes at most 1 argument; 'x' is extra: usage: stats \[--json\]$/],
    ['help send x', /^help takes at most 1 argument; 'x' is extra/],
    ['kill -9 sym0 sym1', /^kill takes at most 2 arguments; 'sym1' is extra/],
    ['restart sym0 sym1', /^restart takes at most 1 argument; 'sym1' is extra/],
    ['spawn symmetric 2 3', /^spawn: unexpected '3': usage: spawn symmetric/],
    ['spawn client 0 1', /^spawn: usage: spawn client <id> \[--idle <policy>\]$/],
  ];
  it('every command refuses them with one line and runs nothing', async function () {
    this.timeout(60_000);
    const sh = mpsh('primary', ['--file-prefix', prefix]);
    await sh.waitFor(/simple_mp > /, 20_000);
    for (const [line, re] of cases) assert.match(await sh.command(line), re, line);
    // quit now did not quit, spawn started nothing.
    assert.match(await sh.command('ps'), /^no processes/);
    sh.write('quit');
    assert.deepEqual(await sh.waitExit(20_000), { code: 0, signal: null });
  });
});
