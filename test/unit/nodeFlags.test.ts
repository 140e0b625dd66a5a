/** bin/mpsh's shebang and NODE_FLAGS (what starts mpsh by the Node binary passes) must agree. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { MPSH_BIN } from '../../harness/repo.js';
import { NODE_FLAGS } from '../../src/core/os/nodeFlags.js';

describe('node flags', () => {
  it("bin/mpsh's shebang carries exactly NODE_FLAGS", () => {
    const first = fs.readFileSync(MPSH_BIN, 'utf8').split('\n')[0]!;
    assert.equal(first, `#!/usr/bin/env -S node ${NODE_FLAGS.join(' ')}`);
  });
});
