/**
 * One state from the first sample (issue 19 item 13), and the metrics
 * endpoint's edges (item 15). A stock process has no slot: it is "running
 * (stock)" while its counters move, which one sample cannot tell. The
 * exporter's first scrape said `mpsh_process_up{process="server"} 0` and a
 * fresh shell's `ps` said `unknown` where its `stats --json` said `running
 * (stock)`; now all three wait for a second sample first.
 */
import assert from 'node:assert/strict';
import { mpsh, mpshShell, removePrefixFiles, uniquePrefix } from '../../harness/proc.js';
import { stockClient, stockServer } from '../../harness/stockGroup.js';
import { freePort, scrape, value } from '../helpers/metrics.js';

describe('first sample: stock processes, the exporter and the shell agree', function () {
  this.timeout(180_000);
  let prefix: string;
  beforeEach(() => (prefix = uniquePrefix('first')));
  afterEach(() => removePrefixFiles(prefix));

  it("the exporter's first scrape and a fresh shell's first ps call running stock processes up", async () => {
    const srv = await stockServer(prefix, 1);
    const c0 = await stockClient(prefix, 0);
    const port = await freePort();
    const exp = mpsh('exporter', ['exporter', '--file-prefix', prefix, '--', '--listen', `127.0.0.1:${port}`]);
    await exp.waitFor(/serving metrics of file prefix/, 20_000);
    const first = await scrape(port);
    assert.equal(value(first, 'mpsh_process_up', { process: 'server', role: 'server' }), 1, 'the first scrape: server up');
    assert.equal(value(first, 'mpsh_process_up', { process: 'client0', role: 'client', client: '0' }), 1, 'the first scrape: client0 up');

    const sh = await mpshShell('shell', ['--file-prefix', prefix]);
    const ps = await sh.command('ps');
    assert.match(ps, /^server\s.*running \(stock\)/m, `the first ps:\n${ps}`);
    assert.match(ps, /^client0\s.*running \(stock\)/m, `the first ps:\n${ps}`);
    exp.signal('SIGTERM');
    assert.equal((await exp.waitExit()).code, 0);
    srv.signal('SIGKILL');
    c0.signal('SIGKILL');
  });

  it('HEAD /metrics answers as GET without a body, POST gets 405; a second --metrics, a bad IPv4 address: one line', async () => {
    const port = await freePort();
    const sh = await mpshShell('shell', ['--file-prefix', prefix, '--', '--metrics', `127.0.0.1:${port}`]);
    const head = await fetch(`http://127.0.0.1:${port}/metrics`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.ok(Number(head.headers.get('content-length')) > 0, 'HEAD says how long the GET body is');
    assert.equal(await head.text(), '');
    const post = await fetch(`http://127.0.0.1:${port}/metrics`, { method: 'POST', body: 'x' });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get('allow'), 'GET, HEAD');
    assert.equal((await fetch(`http://127.0.0.1:${port}/other`)).status, 404);
    sh.write('quit');
    await sh.exited;

    const twice = mpsh('twice', ['--file-prefix', prefix, '--', '--metrics', '127.0.0.1:1', '--metrics', '127.0.0.1:2']);
    assert.equal((await twice.waitExit(20_000)).code, 1);
    assert.equal(twice.err, "mpsh: --metrics given twice ('127.0.0.1:1', then '127.0.0.1:2'): give it once\n");
    const bad = mpsh('bad', ['--file-prefix', prefix, '--', '--metrics', '999.1.1.1:9464']);
    assert.equal((await bad.waitExit(20_000)).code, 1);
    assert.equal(bad.err, "mpsh: --metrics '999.1.1.1:9464': '999.1.1.1' is not a valid IPv4 address (each part 0..255)\n");
  });
});
