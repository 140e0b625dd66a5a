/**
 * A prefix whose primary has gone while only monitors (an exporter, a
 * watching shell) remain: a new shell says who they are and what to do
 * instead of attaching to a group that is not there; once they let go, the
 * new shell becomes the primary and the exporter re-attaches to it.
 */
import assert from 'node:assert/strict';
import { mpsh, removePrefixFiles, sleep, uniquePrefix } from '../../harness/proc.js';
import { scrape } from '../../harness/testpmd.js';

describe('a prefix with only monitors left', function () {
  let prefix: string;
  beforeEach(() => (prefix = uniquePrefix('mon')));
  afterEach(() => removePrefixFiles(prefix));

  it('a new shell names the monitors holding the old memory; once they let go it becomes primary and the exporter re-attaches', async () => {
    const port = 21_000 + Math.floor(Math.random() * 20_000);
    const pri = mpsh('primary shell', ['--file-prefix', prefix]);
    await pri.waitFor(/simple_mp > /, 30_000);
    const ex = mpsh('exporter', ['exporter', '--file-prefix', prefix, '--', '--listen', `127.0.0.1:${port}`]);
    for (let m = await scrape(port); m.status !== 200; m = await scrape(port)) await sleep(200);
    // A monitor that cannot react (stopped) keeps the gone primary's memory.
    ex.signal('SIGSTOP');
    try {
      pri.write('quit');
      assert.equal((await pri.waitExit(20_000)).code, 0);
      const late = mpsh('late shell', ['--file-prefix', prefix]);
      assert.equal((await late.waitExit(20_000)).code, 1);
      assert.match(
        late.err,
        new RegExp(
          `^mpsh: file prefix '${prefix}' has no primary; only monitors that own nothing are left, still holding its old memory: pid ${ex.pid} \\(mpsh exporter\\) — stop them`,
          'm',
        ),
      );
    } finally {
      ex.signal('SIGCONT');
    }
    await ex.waitFor(/has exited: detached from its memory; waiting for a new primary/, 10_000, 'err');
    const next = mpsh('next shell', ['--file-prefix', prefix]);
    await next.waitFor(/simple_mp > /, 30_000);
    assert.doesNotMatch(next.err, /still run|attaching as a secondary/);
    assert.match(await next.command('list'), /^0\tnet_null0/m, 'a primary with its default ports');
    await ex.waitFor(/is up: attaching/, 15_000, 'err');
    for (let m = await scrape(port); m.status !== 200; m = await scrape(port)) await sleep(200);
    next.write('quit');
    assert.equal((await next.waitExit(20_000)).code, 0);
  });
});
