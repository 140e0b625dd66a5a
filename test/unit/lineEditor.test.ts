import assert from 'node:assert/strict';
import { editorReducer, emptyEditor, type EditorAction, type EditorState } from '../../src/ui/lineEditor.js';

const run = (actions: EditorAction[], s: EditorState = emptyEditor) => actions.reduce(editorReducer, s);
const type = (text: string): EditorAction => ({ type: 'insert', text });

describe('line editor', () => {
  it('inserts, moves and deletes at the cursor', () => {
    const s = run([type('sed'), { type: 'left' }, type('n'), { type: 'end' }, type(' x')]);
    assert.equal(s.text, 'send x');
    assert.equal(run([{ type: 'backspace' }], s).text, 'send ');
    assert.equal(run([{ type: 'home' }, { type: 'delete' }], s).text, 'end x');
    assert.equal(run([{ type: 'killWord' }], s).text, 'send ');
    assert.equal(run([{ type: 'home' }, { type: 'right' }, { type: 'killToEnd' }], s).text, 's');
    assert.equal(run([{ type: 'left' }, { type: 'killToStart' }], s).text, 'x');
  });
  it('drops control characters from pasted text', () => {
    assert.equal(run([type('a\x1b[2Jb\x00c')]).text, 'a[2Jbc');
  });
  it('browses history and restores the draft', () => {
    let s = run([type('send a'), { type: 'submit' }, type('help'), { type: 'submit' }, type('dra')]);
    assert.deepEqual(s.history, ['send a', 'help']);
    s = run([{ type: 'historyUp' }], s);
    assert.equal(s.text, 'help');
    s = run([{ type: 'historyUp' }, { type: 'historyUp' }], s);
    assert.equal(s.text, 'send a');
    s = run([{ type: 'historyDown' }, { type: 'historyDown' }], s);
    assert.equal(s.text, 'dra');
  });
  it('keeps blank lines and repeats out of history', () => {
    const s = run([type('  '), { type: 'submit' }, type('x'), { type: 'submit' }, type('x'), { type: 'submit' }]);
    assert.deepEqual(s.history, ['x']);
  });
});
