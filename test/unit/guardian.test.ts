/**
 * The shell-to-guardian messages: what the shell writes is what the guardian
 * reads, and a line that is not a message is ignored, never misread.
 */
import assert from 'node:assert/strict';
import { decodeMessage, encodeMessage, type GuardianMessage } from '../../src/core/shell/guardian.js';

describe('guardian messages', () => {
  it('every message reads back as written', () => {
    const messages: GuardianMessage[] = [
      { kind: 'prefix', filePrefix: 'mpsh', hugeDir: '/dev/hugepages' },
      { kind: 'prefix', filePrefix: 'a b', hugeDir: undefined },
      { kind: 'child', pid: 4242 },
      { kind: 'done' },
    ];
    for (const m of messages) assert.deepEqual(decodeMessage(encodeMessage(m).replace(/\n$/, '')), m);
  });

  it('a line that is not a message is nothing', () => {
    for (const line of ['', 'child', 'child\t-1', 'child\t12x', 'prefix', 'prefix\t', 'stop']) assert.equal(decodeMessage(line), null, line);
  });
});
