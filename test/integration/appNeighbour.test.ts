/**
 * mpsh beside an application it did not start (Debian's dpdk-testpmd as the
 * primary) is a good neighbour: it answers the multi-process requests the
 * app sends its secondaries (testpmd's quit does not wait out its 5 s
 * timeout on mpsh, and EAL never logs `Cannot find action`), and `detach`
 * will not pull a port the app has started from under it.
 */
import assert from 'node:assert/strict';
import { mpsh, mpshShell, removePrefixFiles, uniquePrefix } from '../../harness/proc.js';
import { ONE_NULL_PORT, quitTestpmd, startTestpmd } from '../../harness/testpmd.js';

const shell = (prefix: string) => mpshShell('shell', ['--file-prefix', prefix, '--proc-type=secondary']);

describe('mpsh beside dpdk-testpmd', function () {
  let prefix: string;
  beforeEach(() => (prefix = uniquePrefix('nb')));
  afterEach(() => removePrefixFiles(prefix));

  it("testpmd's quit gets its reply from an attached shell and exporter instead of waiting out its timeout", async () => {
    const app = await startTestpmd(prefix, ONE_NULL_PORT);
    const sh = await shell(prefix);
    const ex = mpsh('exporter', ['exporter', '--file-prefix', prefix, '--', '--listen', `127.0.0.1:${21_000 + Math.floor(Math.random() * 20_000)}`]);
    await ex.waitFor(/serving metrics/, 30_000);
    // Attached: its secondary socket is there for testpmd to ask.
    assert.match(await sh.command('list'), /^0\tnet_null0/m);
    const ms = await quitTestpmd(app);
    // testpmd waits 5 s per secondary that does not reply (timing against
    // testpmd alone is in the report / benchmarks).
    assert.ok(ms < 2500, `testpmd's quit took ${ms} ms with mpsh attached`);
    assert.doesNotMatch(app.out + app.err, /Fail to recv reply|Cannot find action/);
    await sh.waitFor(/has quit: detached from its memory/, 5000, 'err');
    assert.doesNotMatch(sh.err, /Cannot find action/);
    sh.write('quit');
    assert.equal((await sh.waitExit()).code, 0);
  });

  it('detach refuses a port testpmd started, naming testpmd; once testpmd stops it, detach goes ahead', async () => {
    const app = await startTestpmd(prefix, ONE_NULL_PORT);
    const sh = await shell(prefix);
    const refused = await sh.command('detach net_null0');
    assert.match(refused, new RegExp(`net_null0 \\(port 0\\) is started by dpdk-testpmd \\(pid ${app.pid}\\): stop it there first .*or detach --force`));
    assert.match(await sh.command('list'), /^0\tnet_null0/m, 'still attached');
    assert.doesNotMatch(app.out + app.err, /not ready port|Device with port_id=0 already stopped/);
    app.write('port stop all');
    await app.waitFor(/testpmd> /, 10_000);
    const detached = await sh.command('detach net_null0', 20_000);
    assert.match(detached, /detached device net_null0/);
  });
});
