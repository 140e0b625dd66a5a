/**
 * Finding processes that would leave a multi-process request unanswered,
 * with real sockets and real processes in a runtime directory of the test's
 * own (no DPDK needed: EAL's sockets are plain unix datagram sockets).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { unresponsivePeers } from '../../src/core/os/mpPeers.js';
import { holdSocket } from '../helpers/heldSocket.js';
import { untilStopped } from '../helpers/procState.js';

describe('unresponsive multi-process peers', function () {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpsh-peers-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('names a secondary that is gone while another process holds its socket, and none once nobody does', async () => {
    const gone = spawnSync('true').pid!;
    const holder = await holdSocket(path.join(dir, `mp_socket_${gone}_ab12`));
    assert.deepEqual(unresponsivePeers(dir, true), [
      {
        socket: `mp_socket_${gone}_ab12`,
        pid: gone,
        reason: `secondary pid ${gone} is gone but pid ${holder.pid} (held_socket) still holds its socket mp_socket_${gone}_ab12 open`,
      },
    ]);
    await holder.stop();
    assert.ok(fs.existsSync(path.join(dir, `mp_socket_${gone}_ab12`)), 'the file stays behind');
    assert.deepEqual(unresponsivePeers(dir, true), []);
  });

  it('names a stopped process, primary or secondary, and forgets it once it runs again', async () => {
    const primary = await holdSocket(path.join(dir, 'mp_socket'));
    // A holder bound under its own pid is that secondary itself.
    const secondary = await holdSocket(path.join(dir, 'mp_socket_%d_1f'));
    assert.deepEqual(unresponsivePeers(dir, false), [], 'both running');
    secondary.signal('SIGSTOP');
    primary.signal('SIGSTOP');
    try {
      await untilStopped(secondary.pid, true);
      await untilStopped(primary.pid, true);
      const reasons = unresponsivePeers(dir, false)
        .map((s) => s.reason)
        .sort();
      assert.deepEqual(reasons, [
        `secondary pid ${secondary.pid} (held_socket) is stopped (SIGSTOP or a debugger)`,
        `the primary pid ${primary.pid} (held_socket) is stopped (SIGSTOP or a debugger)`,
      ]);
      // This process's own socket never counts: as the primary, only the secondary is named.
      assert.deepEqual(
        unresponsivePeers(dir, true).map((s) => s.pid),
        [secondary.pid],
      );
    } finally {
      secondary.signal('SIGCONT');
      primary.signal('SIGCONT');
    }
    await untilStopped(secondary.pid, false);
    await untilStopped(primary.pid, false);
    assert.deepEqual(unresponsivePeers(dir, false), []);
  });
});
