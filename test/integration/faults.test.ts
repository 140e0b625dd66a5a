/**
 * Faults a group must survive: processes killed or stopped mid-work, a
 * primary that dies under its secondaries, a start that fails. Each case
 * checks that the survivors go on, nobody is orphaned or spins forever, and
 * no hugepage or runtime file is left once the group is gone.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { pidAlive } from '../../src/core/os/pids.js';
import { adopt, mpsh, mpshShell, type Proc, removePrefixFiles, sleep, uniquePrefix } from '../../harness/proc.js';
import { proc, statsOf, statsUntil } from '../helpers/stats.js';

const shell = (name: string, args: string[]) => mpshShell(name, args);

const pidsIn = (out: string) => [...out.matchAll(/\(pid (\d+)\)/g)].map((m) => Number(m[1]));

async function exitsWithin(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (pidAlive(pid)) {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}

/** Hugepage and runtime files of the prefix that are still there. */
function leftovers(prefix: string): string[] {
  const huge = fs.readdirSync('/dev/hugepages').filter((f) => f.startsWith(`${prefix}map_`));
  const run = fs.existsSync(`/var/run/dpdk/${prefix}`) ? fs.readdirSync(`/var/run/dpdk/${prefix}`) : [];
  return [...huge.map((f) => `/dev/hugepages/${f}`), ...run.map((f) => `/var/run/dpdk/${prefix}/${f}`)];
}

describe('faults: a primary that dies under its secondaries', function () {
  let prefix: string;
  beforeEach(() => (prefix = uniquePrefix('fault')));
  afterEach(() => removePrefixFiles(prefix));

  it('a shell started in default mode attaches as a secondary instead of re-creating the prefix; the workers then stop cleanly and leave no files', async () => {
    const pri = await shell('primary shell', ['--file-prefix', prefix]);
    const workers = pidsIn(await pri.command('spawn symmetric 2'));
    workers.forEach(adopt);
    assert.equal(workers.length, 2);
    pri.signal('SIGKILL');
    await pri.waitExit();

    // --proc-type=auto would make it primary (the config lock is free) and
    // re-create the shared config under the workers: one then spun forever
    // in its EAL clean-up.
    const late = await shell('late shell', ['--file-prefix', prefix]);
    assert.match(
      late.err,
      new RegExp(`the primary of file prefix '${prefix}' is gone and 2 of its processes still run \\(pid ${workers.join(', ')}\\): attaching as a secondary`),
    );
    const s = await statsUntil(late, (x) => ['sym0', 'sym1'].every((n) => proc(x, n).state === 'running'), 5000, 'both workers running');
    assert.deepEqual(s.processes.map((p) => p.pid).sort(), [...workers].sort());
    assert.match(await late.command('spawn symmetric 1'), /needs this shell to be the primary/);
    late.write('quit');
    assert.equal((await late.waitExit()).code, 0);

    // One at a time: the last one out removes what the dead primary left.
    for (const pid of workers) {
      process.kill(pid, 'SIGINT');
      assert.ok(await exitsWithin(pid, 8000), `worker ${pid} exits after SIGINT`);
    }
    assert.deepEqual(leftovers(prefix), []);
  });

  it('asking for a primary there is refused with one line', async () => {
    const pri = await shell('primary shell', ['--file-prefix', prefix]);
    pidsIn(await pri.command('spawn symmetric 1')).forEach(adopt);
    pri.signal('SIGKILL');
    await pri.waitExit();
    const again = mpsh('new primary', ['--file-prefix', prefix, '--proc-type=primary']);
    const exit = await again.waitExit(20_000);
    assert.equal(exit.code, 1);
    assert.match(again.err, new RegExp(`file prefix '${prefix}' has lost its primary but 1 of its processes still run .*attach with --proc-type=secondary`));
    assert.equal(again.err.trim().split('\n').length, 1, 'one line');
    const s = await statsOf(await shell('monitor', ['--file-prefix', prefix]));
    assert.equal(proc(s, 'sym0').state, 'running', 'the worker was not disturbed');
  });
});

describe('faults: restart and quit across shells', function () {
  let prefix: string;
  beforeEach(() => (prefix = uniquePrefix('fault')));
  afterEach(() => removePrefixFiles(prefix));

  const grows = async (sh: Proc, name: string, field: (p: ReturnType<typeof proc>) => number) => {
    const before = field(proc(await statsOf(sh), name));
    return statsUntil(sh, (s) => field(proc(s, name)) > before, 5000, `${name} forwarding`);
  };
  const rx = (p: ReturnType<typeof proc>) => p.ports.reduce((a, x) => a + x.rx, 0);
  const tx = (p: ReturnType<typeof proc>) => p.tx as number;

  it('after the primary shell died, a secondary shell restarts a worker, the server and a client, and they forward', async () => {
    const pri = await shell('primary shell', ['--file-prefix', prefix]);
    pidsIn(await pri.command('spawn symmetric 2')).forEach(adopt);
    pri.signal('SIGKILL');
    await pri.waitExit();
    const late = await shell('late shell', ['--file-prefix', prefix]);
    const out = await late.command('restart sym1', 30_000);
    pidsIn(out).forEach(adopt);
    assert.match(out, /sym1 restarted \(pid \d+\)/);
    await grows(late, 'sym1', rx);
    await grows(late, 'sym0', rx);
  });

  it('the same for a client-server group: the restarted server and client forward', async () => {
    const pri = await shell('primary shell', ['--file-prefix', prefix]);
    pidsIn(await pri.command('spawn server --clients 2 --start-clients')).forEach(adopt);
    pri.signal('SIGKILL');
    await pri.waitExit();
    const late = await shell('late shell', ['--file-prefix', prefix]);
    for (const name of ['client0', 'server']) {
      const out = await late.command(`restart ${name}`, 30_000);
      pidsIn(out).forEach(adopt);
      assert.match(out, new RegExp(`${name} restarted \\(pid \\d+\\)`));
    }
    await grows(late, 'client0', tx);
    await grows(late, 'client1', tx);
  });

  it("the primary's quit stops a worker another shell restarted, and leaves no files behind", async () => {
    const pri = await shell('primary shell', ['--file-prefix', prefix]);
    pidsIn(await pri.command('spawn symmetric 2')).forEach(adopt);
    const sec = await shell('secondary shell', ['--file-prefix', prefix]);
    const out = await sec.command('restart sym1');
    const [restarted] = pidsIn(out);
    adopt(restarted!);
    sec.write('quit');
    await sec.waitFor(/leaving sym1 running/);
    assert.equal((await sec.waitExit()).code, 0);
    assert.ok(pidAlive(restarted!), 'the secondary shell left it running');
    pri.write('quit');
    await pri.waitFor(/stopping sym0, sym1…\nstopped sym0, sym1/);
    assert.equal((await pri.waitExit()).code, 0);
    assert.ok(await exitsWithin(restarted!, 1000), 'the restarted worker is gone');
    assert.deepEqual(leftovers(prefix), []);
  });
});
