/**
 * Issue 19 item 5: one group owns a prefix's ports at a time. `spawn
 * symmetric` used to set the ports up again under a running server and its
 * clients (`list` then showed `client0,server,sym0` on one port); now each
 * group refuses while the other has a live process, in one line that names
 * the owners and what to do.
 */
import assert from 'node:assert/strict';
import { adoptPidsIn, mpshShell, removePrefixFiles, uniquePrefix } from '../../harness/proc.js';

describe('ports: one group owns them at a time', function () {
  this.timeout(120_000);
  let prefix: string;
  beforeEach(() => (prefix = uniquePrefix('owners')));
  afterEach(() => removePrefixFiles(prefix));

  it('spawn symmetric under a client-server group, and the reverse, are refused naming the owners', async () => {
    const sh = await mpshShell('owners', ['--file-prefix', prefix]);
    adoptPidsIn(await sh.command('spawn server --clients 2 --start-clients', 30_000));
    assert.equal(
      (await sh.command('spawn symmetric 1', 30_000)).trim(),
      'spawn: the ports belong to the client-server group (client0, client1, server running): stop them first (kill client0; kill client1; kill server), then spawn symmetric',
    );
    assert.doesNotMatch(await sh.command('list'), /sym0/, 'no worker started');
    assert.doesNotMatch(await sh.command('ps'), /sym0/);
    for (const name of ['server', 'client0', 'client1']) assert.match(await sh.command(`kill ${name}`), new RegExp(`${name} stopped`));

    adoptPidsIn(await sh.command('spawn symmetric 1', 30_000));
    assert.match(await sh.command('ps'), /sym0 .*running/);
    assert.equal(
      (await sh.command('spawn server --clients 2', 30_000)).trim(),
      'spawn: the ports belong to the symmetric group (sym0 running): stop it first (kill sym0), then spawn server',
    );
    assert.equal(
      (await sh.command('restart client0', 30_000)).trim(),
      'restart: the ports belong to the symmetric group (sym0 running): stop it first (kill sym0), then restart client0',
    );
    assert.match(await sh.command('kill sym0'), /sym0 stopped/);
    assert.match(await sh.command('restart server', 30_000), /server restarted/);
  });
});
