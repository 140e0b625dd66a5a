/**
 * `mpsh hotplug` (and every shell) logs ports another process of the prefix
 * attaches or detaches, as the README says, on its own (no command typed)
 * and before the output of the next command typed.
 */
import assert from 'node:assert/strict';
import { mpsh, mpshShell, removePrefixFiles, uniquePrefix } from '../../harness/proc.js';

describe('hotplug: ports attached elsewhere are logged', function () {
  let prefix: string;
  beforeEach(() => (prefix = uniquePrefix('hpann')));
  afterEach(() => removePrefixFiles(prefix));

  it('mpsh hotplug logs port <id> <name> attached and detached when a secondary changes them', async () => {
    const hp = mpsh('hotplug', ['hotplug', '--file-prefix', prefix, '--proc-type=primary', '--no-pci', '--vdev=net_null0']);
    await hp.waitFor(/example> /, 20_000);
    const sec = await mpshShell('secondary', ['--file-prefix', prefix]);
    assert.equal(await sec.command('attach net_null1'), 'attached device net_null1');
    await hp.waitFor(/port 1 net_null1 attached\n/, 3000);
    assert.match(await sec.command('detach net_null1'), /detached device net_null1$/);
    await hp.waitFor(/port 1 net_null1 detached\n/, 3000);
    hp.write('quit');
    assert.deepEqual(await hp.waitExit(), { code: 0, signal: null });
  });
});
