/** Process names: what is built parses back, and nothing else parses (as telemetry.cc's ParseProcessName). */
import assert from 'node:assert/strict';
import { clientName, parseProcessName, SERVER_NAME, symmetricName } from '../../src/core/roles/processNames.js';

describe('process names', () => {
  it('parses back what it builds', () => {
    assert.deepEqual(parseProcessName(symmetricName(3)), { role: 'symmetric', id: 3 });
    assert.deepEqual(parseProcessName(clientName(15)), { role: 'client', id: 15 });
    assert.deepEqual(parseProcessName(SERVER_NAME), { role: 'server', id: 0 });
  });

  it('refuses anything else', () => {
    for (const name of ['sym', 'client', 'sym-1', 'client 1', ' sym1', 'sym1x', 'servers', 'server0', 'Sym1', '']) {
      assert.equal(parseProcessName(name), null, `'${name}'`);
    }
  });
});
