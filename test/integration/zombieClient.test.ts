/**
 * One liveness rule: a zombie is gone. An mpsh client whose parent cannot
 * reap it (the parent stopped itself) and that is then SIGKILLed stays a
 * zombie, and kill(pid, 0) still succeeds on it. `ps`, DPDK telemetry and
 * the server's distribution must all call it gone, and the server must skip
 * it at once rather than after the heartbeat silence that marks a stall.
 */
import assert from 'node:assert/strict';
import { adopt, adoptPidsIn, mpshShell, Proc, removePrefixFiles, uniquePrefix } from '../../harness/proc.js';
import { mpshArgv } from '../../harness/repo.js';
import { procStat } from '../../src/core/os/procInfo.js';
import { proc, statsOf, statsUntil } from '../helpers/stats.js';
import { telemetry } from '../helpers/telemetry.js';

/** The process state letter in /proc/<pid>/stat ('' once it is gone). */
const procState = (pid: number): string => procStat(pid)?.state ?? '';

/**
 * A helper that starts `mpsh client` as its own child, prints the child's
 * pid, and stops itself: while it is stopped nobody reaps the client.
 */
function stoppedParentOf(args: string[]): Proc {
  const argv = mpshArgv(args);
  const script = [
    "const { spawn } = require('node:child_process');",
    `const c = spawn(${JSON.stringify(argv.command)}, ${JSON.stringify(argv.args)}, { stdio: 'ignore' });`,
    "process.stdout.write(`client pid ${c.pid}\\n`, () => process.kill(process.pid, 'SIGSTOP'));",
  ].join('\n');
  return new Proc('stopped parent', process.execPath, ['-e', script]);
}

describe('liveness: a zombie client is gone', function () {
  let prefix: string;
  beforeEach(() => (prefix = uniquePrefix('zombie')));
  afterEach(() => removePrefixFiles(prefix));

  it('ps and telemetry call it dead, and the server skips it before its heartbeat could call it stalled', async () => {
    const sh = await mpshShell('shell', ['--file-prefix', prefix]);
    adoptPidsIn(await sh.command('spawn server --clients 2'));
    adoptPidsIn(await sh.command('spawn client 0'));
    const parent = stoppedParentOf(['client', '--file-prefix', prefix, '--', '-n', '1']);
    const client = Number((await parent.waitFor(/client pid (\d+)/))[1]);
    adopt(client);
    try {
      await statsUntil(sh, (s) => (proc(s, 'client1').tx as number) > 0 && proc(s, 'client1').skipped === false, 20_000, 'client1 forwarding');
      assert.equal((telemetry(prefix, '/mpsh/process,client1') as Record<string, unknown>).state, 'running');

      process.kill(client, 'SIGKILL');
      const killedAt = Date.now();
      while (procState(client) !== 'Z') {
        assert.ok(Date.now() - killedAt < 5000, `client ${client} never became a zombie (state '${procState(client)}')`);
        await new Promise((r) => setTimeout(r, 10));
      }
      process.kill(client, 0); // what kill(pid, 0) says: it still exists

      // The server judges every 10 ms; the heartbeat alone would take 2 s.
      const s = await statsUntil(sh, (x) => proc(x, 'client1').skipped === true, 1500, 'client1 skipped');
      assert.equal(proc(s, 'client1').state, 'dead', 'ps');
      assert.equal((telemetry(prefix, '/mpsh/process,client1') as Record<string, unknown>).state, 'dead', 'telemetry');
      assert.equal(procState(client), 'Z', 'still a zombie while judged');
      assert.equal(proc(await statsOf(sh), 'client0').skipped, false, 'the live client is still served');
    } finally {
      parent.signal('SIGKILL'); // init reaps the client then
    }
  });
});
