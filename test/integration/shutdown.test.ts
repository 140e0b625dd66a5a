/** quit, end of input, SIGINT and SIGTERM all stop lcores, return buffers and exit 0. */
import assert from 'node:assert/strict';
import { mpsh, removePrefixFiles, uniquePrefix, type Proc } from '../helpers/proc.js';

describe('graceful shutdown', function () {
  let prefix: string;
  let pri: Proc;
  beforeEach(async () => {
    prefix = uniquePrefix('stop');
    pri = mpsh('primary', ['--file-prefix', prefix]);
    await pri.waitFor(/simple_mp > /, 20_000);
  });
  afterEach(() => removePrefixFiles(prefix));

  for (const how of ['quit', 'end of input', 'SIGINT', 'SIGTERM'] as const) {
    it(`a secondary stopped by ${how} exits 0 with every buffer back`, async () => {
      const sec = mpsh('secondary', ['--file-prefix', prefix]);
      await sec.waitFor(/simple_mp > /, 20_000);
      // Traffic in flight in both directions while it stops.
      for (let i = 0; i < 20; i++) pri.write(`send p${i}`);
      for (let i = 0; i < 20; i++) sec.write(`send s${i}`);
      await sec.waitFor(/Received 'p19'/);
      if (how === 'quit') sec.write('quit');
      else if (how === 'end of input') sec.endInput();
      else sec.signal(how);
      assert.deepEqual(await sec.waitExit(), { code: 0, signal: null });
      await pri.waitFor(/Received 's19'/);
      assert.match(await pri.command('pools'), /MSG_POOL: 0 in use, 1024 available/);
      // The lcore ids it held are free again: a new secondary starts.
      const again = mpsh('secondary again', ['--file-prefix', prefix]);
      await again.waitFor(/simple_mp > /, 20_000);
    });
  }

  it('a primary stopped by SIGTERM exits 0', async () => {
    pri.signal('SIGTERM');
    assert.deepEqual(await pri.waitExit(), { code: 0, signal: null });
  });
});
