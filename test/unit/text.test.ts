import assert from 'node:assert/strict';
import { parseLine, words } from '../../src/commands/parse.js';
import { Session } from '../../src/core/shell/session.js';
import { decodeBytes, encodeText, visible } from '../../src/core/util/text.js';
import { inputLines } from '../../src/ui/lineMode.js';
import { editorReducer, emptyEditor, EDITOR_LIMIT } from '../../src/ui/lineEditor.js';

async function collect(chunks: (string | Buffer)[], limit?: number): Promise<string[]> {
  const out: string[] = [];
  for await (const l of inputLines(
    (async function* () {
      yield* chunks;
    })(),
    limit,
  ))
    out.push(l);
  return out;
}

describe('text across process boundaries', () => {
  it('keeps invalid UTF-8 bytes through decode and encode', () => {
    const bytes = Buffer.from([0x61, 0xff, 0xc3, 0xa9, 0xe2, 0x82, 0xed, 0xa0, 0x80, 0xf0, 0x9f, 0x98, 0x80, 0xc0, 0xaf]);
    const text = decodeBytes(bytes);
    assert.ok(text.startsWith('a\udcffé'));
    assert.ok(text.includes('😀'));
    assert.deepEqual(encodeText(text), bytes);
    assert.deepEqual(encodeText('plain ✓'), Buffer.from('plain ✓'));
  });
  it('makes controls visible and leaves printable text alone', () => {
    assert.equal(visible('\x1b]2;t\x07\r\t\x00\x7f\x9b\u202e|\udcff|😀 é ┼'), '\\e]2;t\\x07\\r\t\\x00\\x7f\\x9b\\u{202e}|\\xff|😀 é ┼');
    // A surrogate pair whose low half is in the escaped-byte range stays a character.
    assert.equal(visible('\ud800\udc80'), '\ud800\udc80');
  });
  it('session entries never carry raw controls', () => {
    const s = new Session();
    const got: string[] = [];
    s.onEntry((e) => got.push(e.text));
    s.append('message', "Received '\x1b[2J'\nline2\r");
    assert.deepEqual(got, ["Received '\\e[2J'", 'line2\\r']);
  });
  it('parses any whitespace as a separator', () => {
    assert.deepEqual(parseLine('send\vx'), { name: 'send', rest: 'x' });
    assert.deepEqual(parseLine('\u00a0ps\f'), { name: 'ps', rest: '' });
    assert.deepEqual(parseLine('send a\rb'), { name: 'send', rest: 'a\rb' });
    assert.deepEqual(words('a\u00a0b\fc\vd'), ['a', 'b', 'c', 'd']);
  });
  it('line mode splits on LF only, drops a CRLF CR, bounds a huge line', async () => {
    assert.deepEqual(await collect(['a\rb\nc\r\n', 'd', 'e\n', Buffer.from([0x66, 0xff, 0x0a])]), ['a\rb', 'c', 'de', 'f\udcff']);
    const huge = await collect(['x'.repeat(100), 'y'.repeat(100), '\nok\n'], 10);
    assert.deepEqual(
      huge.map((l) => l.length),
      [11, 2],
    );
  });
  it('the editor keeps one character past the limit, however much is pasted', () => {
    const s = editorReducer(emptyEditor, { type: 'insert', text: 'z'.repeat(1 << 20) });
    assert.equal(s.text.length, EDITOR_LIMIT);
    assert.equal(editorReducer(s, { type: 'insert', text: 'more' }), s);
  });
});
