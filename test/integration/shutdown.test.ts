/** quit, end of input, SIGINT and SIGTERM all stop lcores, return buffers and exit 0. */
import assert from 'node:assert/strict';
import { mpsh, removePrefixFiles, uniquePrefix, type Proc } from '../../harness/proc.js';

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

describe('a packet loop stuck inside DPDK', function () {
  let prefix: string;
  beforeEach(() => (prefix = uniquePrefix('stuck')));
  afterEach(() => removePrefixFiles(prefix));

  // MPSH_TEST_STALL_ON_STOP makes a loop, once told to stop, spin on shared
  // memory forever: what a loop caught in a pool ring a killed process left
  // half-updated does.
  it('SIGINT still ends the process, without EAL cleanup, whether the loop has a worker lcore or the main one; the group is unharmed', async () => {
    const server = mpsh('server', ['server', '--file-prefix', prefix, '--', '-p', '3', '-n', '2']);
    await server.waitFor(/Finished Process Init/, 20_000);
    const stall = { MPSH_TEST_STALL_ON_STOP: '1' };
    // One lcore: the loop runs on a thread that takes over the main lcore. Two: on the worker.
    const clients = [
      mpsh('client0', ['client', '--file-prefix', prefix, '--lcores=60@1', '--', '-n', '0'], { env: stall }),
      mpsh('client1', ['client', '--file-prefix', prefix, '--lcores=61@1,62@1', '--', '-n', '1'], { env: stall }),
    ];
    for (const c of clients) await c.waitFor(/Finished Process Init/, 20_000);
    for (const c of clients) {
      c.signal('SIGINT');
      assert.deepEqual(await c.waitExit(), { code: 1, signal: null }, `${c.name} exits with 1, not a crash`);
      assert.match(c.err, /did not stop within 2 s/);
      assert.match(c.err, /EAL cleanup skipped/);
    }
    // Nothing the stuck clients held blocks the others: the server stops and cleans up.
    server.signal('SIGINT');
    assert.deepEqual(await server.waitExit(), { code: 0, signal: null });
  });
});
