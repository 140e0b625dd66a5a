/** The terminal key reader: named keys, text, and every other sequence ignored. */
import assert from 'node:assert/strict';
import { createKeyReader, parseKey } from '../../src/ui/keys.js';

describe('terminal keys', () => {
  it('names the keys the prompt uses, with or without modifiers', () => {
    assert.deepEqual(parseKey('\r'), { name: 'return', text: '' });
    assert.deepEqual(parseKey('\x7f'), { name: 'backspace', text: '' });
    assert.deepEqual(parseKey('\x1b[3~'), { name: 'delete', text: '' });
    assert.deepEqual(parseKey('\x1b[A'), { name: 'up', text: '' });
    assert.deepEqual(parseKey('\x1bOA'), { name: 'up', text: '' });
    assert.deepEqual(parseKey('\x1b[1;5D'), { name: 'left', text: '' });
    assert.deepEqual(parseKey('\x1b[6~'), { name: 'pageDown', text: '' });
    assert.deepEqual(parseKey('\x1b[1;5P'), { name: 'f1', text: '' });
    assert.deepEqual(parseKey('\x1b[24;8~'), { name: 'f12', text: '' });
    assert.deepEqual(parseKey('\x1b'), { name: 'escape', text: '' });
    assert.deepEqual(parseKey('\x03'), { ctrl: 'c', text: '' });
    assert.deepEqual(parseKey('\x1b[99;5u'), { ctrl: 'c', text: '' });
    assert.deepEqual(parseKey('send a\rsend b\r'), { text: 'send a\rsend b\r' });
  });

  it('ignores sequences that are no key: SGR, modes, mouse, paste markers, Alt+letter', () => {
    for (const s of [
      '\x1b[31m',
      '\x1b[5m',
      '\x1b[?1049h',
      '\x1b[<0;3;4M',
      '\x1b[200~',
      '\x1b[201~',
      '\x1b[99;2~',
      '\x1bx',
      '\x1b[1;5X',
      '\x1b[57399;99u',
      '\x1b[57399u',
    ])
      assert.equal(parseKey(s), null, JSON.stringify(s));
  });

  it("drops an X10 mouse report's three bytes", () => {
    const read = createKeyReader();
    assert.deepEqual(read('\x1b[M'), []);
    assert.deepEqual(read(' !!ls'), [{ text: 'ls' }]);
  });
});
