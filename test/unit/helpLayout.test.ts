/** help's layout: within the width and the rows it is given, hanging indents, every command named. */
import assert from 'node:assert/strict';
import { defaultCommands } from '../../src/commands/registry.js';
import { helpLines, wrapWords } from '../../src/commands/helpLayout.js';

describe('help layout', () => {
  it('wraps between words with a hanging indent; cuts only a word longer than a line', () => {
    assert.deepEqual(wrapWords('aa bb cc dd', 8, 2), ['aa bb cc', '  dd']);
    assert.deepEqual(wrapWords('x'.repeat(10), 4), ['xxxx', 'xxxx', 'xx']);
  });

  for (const [columns, rows] of [
    [80, 20],
    [100, 26],
    [60, 16],
    [200, 57],
    [80, Infinity],
  ] as const)
    it(`${columns} columns, ${rows} rows: fits, names every command, indents every line under the header`, () => {
      const lines = helpLines(defaultCommands, { columns, rows });
      assert.ok(lines.length <= rows, `${lines.length} lines:\n${lines.join('\n')}`);
      for (const l of lines) assert.ok(l.length <= columns, l);
      assert.match(lines[0]!, /^Commands /);
      for (const l of lines.slice(1)) assert.match(l, /^ {2}\S|^Keys: |^ {2}/);
      for (const c of defaultCommands)
        assert.ok(
          lines.some((l) => new RegExp(`(^|\\s)${c.name}\\b`).test(l)),
          c.name,
        );
      if (rows === Infinity) for (const c of defaultCommands) assert.ok(lines.join(' ').replace(/\s+/g, ' ').includes(c.summary), c.summary);
    });
});
