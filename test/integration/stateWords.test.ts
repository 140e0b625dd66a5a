/**
 * One state vocabulary: how a worker ended reads the same in `ps`, in
 * `stats --json`, in a second shell and in DPDK telemetry's /mpsh/process
 * ("exited (0)", "killed (SIGKILL)"), not "stopped" in one and "exited (0)"
 * in the other.
 */
import assert from 'node:assert/strict';
import { adoptPidsIn, mpshShell, removePrefixFiles, uniquePrefix } from '../../harness/proc.js';
import { proc, rxOf, statsOf, statsUntil } from '../helpers/stats.js';
import { telemetry } from '../helpers/telemetry.js';

describe('state words', function () {
  let prefix: string;
  beforeEach(() => (prefix = uniquePrefix('words')));
  afterEach(() => removePrefixFiles(prefix));

  it('a graceful stop and a SIGKILL read alike in ps, stats --json, a second shell and telemetry', async () => {
    const sh = await mpshShell('shell', ['--file-prefix', prefix]);
    adoptPidsIn(await sh.command('spawn symmetric 2'));
    await statsUntil(sh, (s) => ['sym0', 'sym1'].every((n) => rxOf(proc(s, n)) > 0), 10_000, 'both workers forwarding');
    assert.match(await sh.command('kill sym1'), /sym1 stopped/);
    assert.match(await sh.command('kill -9 sym0'), /sym0/);
    const s = await statsUntil(sh, (x) => proc(x, 'sym0').state.startsWith('killed'), 5000, 'sym0 killed');
    const want = { sym0: 'killed (SIGKILL)', sym1: 'exited (0)' };
    const ps = await sh.command('ps');
    const other = await mpshShell('second shell', ['--file-prefix', prefix]);
    const seen = await statsOf(other);
    for (const [name, state] of Object.entries(want)) {
      assert.match(ps, new RegExp(`${name}\\s+symmetric\\s+\\d+\\s+${state.replace(/[()]/g, '\\$&')}`), `ps: ${name}`);
      assert.equal(proc(s, name).state, state, `stats --json: ${name}`);
      assert.equal(proc(seen, name).state, state, `a second shell: ${name}`);
      assert.equal((telemetry(prefix, `/mpsh/process,${name}`) as { state: string }).state, state, `telemetry: ${name}`);
    }
  });
});
