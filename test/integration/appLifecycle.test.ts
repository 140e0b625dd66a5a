/**
 * The life of the application mpsh watches (Debian's dpdk-testpmd as the
 * primary): it quits and starts again under an attached shell and exporter,
 * it is stopped when mpsh attaches, it is not there yet when the exporter
 * starts. mpsh says what happened in one line, never crashes, never blocks
 * the app's restart, re-attaches, and leaves nothing behind.
 */
import assert from 'node:assert/strict';
import { mpsh, removePrefixFiles, sleep, uniquePrefix, type Proc } from '../../harness/proc.js';
import { leftovers } from '../helpers/leftovers.js';
import { ONE_NULL_PORT, quitTestpmd, scrape, startTestpmd } from '../../harness/testpmd.js';

const listed = async (sh: Proc) => sh.command('list');

/** Waits until `p` has printed `re` on stderr `count` times in all. */
async function errCount(p: Proc, re: RegExp, count: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const n = () => p.err.match(new RegExp(re.source, 'g'))?.length ?? 0;
  while (n() < count) {
    if (Date.now() > deadline) throw new Error(`${p.name}: ${re} seen ${n()} times, not ${count}; stderr:\n${p.err}`);
    await sleep(50);
  }
}

/** The body of the first 200 from /metrics (the exporter attaches a while after it listens). */
async function served(port: number): Promise<string> {
  let m = await scrape(port);
  for (const deadline = Date.now() + 20_000; m.status !== 200 && Date.now() < deadline; m = await scrape(port)) await sleep(200);
  assert.equal(m.status, 200, m.body);
  return m.body;
}

const GONE = /the primary of file prefix '[^']+', pid \d+ \(dpdk-testpmd\), (has quit|has exited): detached from its memory; waiting for a new primary/;
const UP = /primary dpdk-testpmd \(pid \d+\) is up: attaching/;

describe('the application restarts under mpsh (dpdk-testpmd)', function () {
  let prefix: string;
  let port: number;
  beforeEach(() => {
    prefix = uniquePrefix('life');
    port = 20_000 + (process.pid % 20_000) + Math.floor(Math.random() * 1000);
  });
  afterEach(() => removePrefixFiles(prefix));

  it('shell and exporter say the primary went, let testpmd start again, re-attach, and leave nothing behind', async () => {
    let app = await startTestpmd(prefix, ONE_NULL_PORT);
    const sh = mpsh('shell', ['--file-prefix', prefix, '--proc-type=secondary']);
    await sh.waitFor(/simple_mp > /, 30_000);
    const ex = mpsh('exporter', ['exporter', '--file-prefix', prefix, '--', '--listen', `127.0.0.1:${port}`]);
    await ex.waitFor(/serving metrics/, 30_000);
    assert.match(await listed(sh), /^0\tnet_null0/m);
    await served(port);

    await quitTestpmd(app);
    await errCount(sh, GONE, 1, 5000);
    await errCount(ex, GONE, 1, 5000);
    // The app starts again on its prefix: nothing of mpsh's holds its memory.
    app = await startTestpmd(prefix, { ...ONE_NULL_PORT, name: 'testpmd again' });
    assert.doesNotMatch(app.err, /Cannot init EAL|Cannot allocate memzone list/);
    await errCount(sh, UP, 1, 10_000);
    await sh.waitFor(/simple_mp > /, 30_000);
    assert.match(await listed(sh), /^0\tnet_null0/m, "the re-attached shell sees the new primary's port");
    await errCount(ex, UP, 1, 10_000);
    assert.match(await served(port), /# TYPE mpsh_/);

    await quitTestpmd(app);
    await errCount(sh, GONE, 2, 5000);
    await errCount(ex, GONE, 2, 5000);
    // Waiting: never a 200 with nothing in it. A scrape the old image took
    // in the instant it hands the socket over to the new one is reset (0):
    // for Prometheus as for the 503, a scrape that failed.
    let m = await scrape(port);
    for (const deadline = Date.now() + 10_000; (m.status === 200 || m.status === 0) && Date.now() < deadline; m = await scrape(port)) await sleep(100);
    assert.equal(m.status, 503, m.body);
    assert.match(m.body, /no primary of file prefix '[^']+' is running; waiting for one/);

    sh.write('quit');
    assert.deepEqual(await sh.waitExit(10_000), { code: 0, signal: null });
    ex.signal('SIGTERM');
    assert.deepEqual(await ex.waitExit(10_000), { code: 0, signal: null });
    for (const p of [sh, ex]) {
      assert.equal(p.err.match(new RegExp(GONE.source, 'g'))?.length, 2, `${p.name} says it once each time:\n${p.err}`);
      assert.doesNotMatch(p.err, /Cannot find action|SIGFPE/);
    }
    assert.deepEqual(leftovers(prefix), []);
  });

  it('a primary stopped at start is named, and the shell attaches with its ports once it resumes', async () => {
    const app = await startTestpmd(prefix, ONE_NULL_PORT);
    app.signal('SIGSTOP');
    try {
      const sh = mpsh('shell', ['--file-prefix', prefix, '--proc-type=secondary']);
      await sh.waitFor(
        new RegExp(`primary pid ${app.pid} \\(dpdk-testpmd\\) of file prefix '${prefix}' is stopped \\(SIGSTOP or a debugger\\); waiting for it to resume`),
        20_000,
        'err',
      );
      await sleep(1000);
      assert.doesNotMatch(sh.out, /simple_mp > /, 'nothing attached to a stopped primary');
      app.signal('SIGCONT');
      await sh.waitFor(/simple_mp > /, 30_000);
      assert.match(await listed(sh), /^0\tnet_null0/m);
    } finally {
      app.signal('SIGCONT');
    }
  });

  it('an exporter started before its app waits for it (503 meanwhile), then serves it', async () => {
    const ex = mpsh('exporter', ['exporter', '--file-prefix', prefix, '--', '--listen', `127.0.0.1:${port}`]);
    await ex.waitFor(new RegExp(`waiting for a primary of file prefix '${prefix}'`), 20_000, 'err');
    assert.doesNotMatch(ex.err, /proc-type=auto/);
    const waiting = await scrape(port);
    assert.equal(waiting.status, 503, waiting.body);
    const app = await startTestpmd(prefix, ONE_NULL_PORT);
    await errCount(ex, UP, 1, 15_000);
    await served(port);
    await quitTestpmd(app);
  });
});
