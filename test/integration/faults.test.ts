/**
 * Faults a group must survive: processes killed or stopped mid-work, a
 * primary that dies under its secondaries, a shell killed with SIGKILL. Each
 * case checks that the survivors go on, nobody is orphaned or spins forever,
 * and no hugepage or runtime file is left once the group is gone.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { pidAlive } from '../../src/core/os/pids.js';
import { adopt, mpsh, mpshShell, type Proc, removePrefixFiles, sleep, uniquePrefix } from '../../harness/proc.js';
import { proc, statsOf, statsUntil } from '../helpers/stats.js';
import { exitsWithin, leftovers, untilNoLeftovers } from '../helpers/leftovers.js';

const shell = (name: string, args: string[], env?: Record<string, string>) => mpshShell(name, args, { env });

const pidsIn = (out: string) => [...out.matchAll(/\(pid (\d+)\)/g)].map((m) => Number(m[1]));

/**
 * A symmetric group of three started without a shell, as stock's are:
 * process 0 the primary, 1 and 2 its secondaries. Killing process 0 is a
 * primary dying under secondaries it did not start (a shell's own children
 * go with it: see below).
 */
async function standaloneGroup(prefix: string): Promise<[Proc, Proc, Proc]> {
  const sym = (id: number, type: string) =>
    mpsh(`sym${id}`, ['symmetric', '--file-prefix', prefix, `--proc-type=${type}`, '--', '-p', '3', '--num-procs', '3', '--proc-id', String(id)]);
  const pri = sym(0, 'primary');
  await pri.waitFor(/Finished Process Init/, 20_000);
  const secs = [sym(1, 'secondary'), sym(2, 'secondary')];
  for (const sec of secs) await sec.waitFor(/Finished Process Init/, 20_000);
  return [pri, secs[0]!, secs[1]!];
}

describe('faults: a primary that dies under its secondaries', function () {
  let prefix: string;
  beforeEach(() => (prefix = uniquePrefix('fault')));
  afterEach(() => removePrefixFiles(prefix));

  it('a shell started in default mode attaches as a secondary instead of re-creating the prefix; the survivors then stop cleanly and leave no files', async () => {
    const [pri, ...survivors] = await standaloneGroup(prefix);
    pri.signal('SIGKILL');
    await pri.waitExit();

    // --proc-type=auto would make it primary (the config lock is free) and
    // re-create the shared config under the survivor: one then spun forever
    // in its EAL clean-up.
    const late = await shell('late shell', ['--file-prefix', prefix]);
    assert.match(
      late.err,
      new RegExp(
        `the primary of file prefix '${prefix}' is gone and 2 of its processes still run \\(pid ${survivors.map((p) => p.pid).join(', ')}\\): attaching as a secondary`,
      ),
    );
    const s = await statsUntil(late, (x) => ['sym1', 'sym2'].every((n) => proc(x, n).state === 'running'), 5000, 'the survivors running');
    assert.deepEqual(
      [proc(s, 'sym1').pid, proc(s, 'sym2').pid],
      survivors.map((p) => p.pid),
    );
    assert.match(await late.command('spawn symmetric 1'), /needs this shell to be the primary/);
    late.write('quit');
    assert.equal((await late.waitExit()).code, 0);
    assert.ok(
      survivors.every((p) => pidAlive(p.pid)),
      'the late shell left what it did not start running',
    );

    // One at a time: the last one out removes what the dead primary left.
    for (const p of survivors) {
      p.signal('SIGINT');
      assert.ok(await exitsWithin(p.pid, 8000), `survivor ${p.pid} exits after SIGINT`);
    }
    assert.deepEqual(leftovers(prefix), []);
  });

  it('asking for a primary there is refused with one line', async () => {
    const [pri, sec] = await standaloneGroup(prefix);
    pri.signal('SIGKILL');
    await pri.waitExit();
    const again = mpsh('new primary', ['--file-prefix', prefix, '--proc-type=primary']);
    const exit = await again.waitExit(20_000);
    assert.equal(exit.code, 1);
    assert.match(again.err, new RegExp(`file prefix '${prefix}' has lost its primary but 2 of its processes still run .*attach with --proc-type=secondary`));
    assert.equal(again.err.trim().split('\n').length, 1, 'one line');
    const s = await statsOf(await shell('monitor', ['--file-prefix', prefix]));
    assert.equal(proc(s, 'sym1').state, 'running', 'the survivor was not disturbed');
    assert.ok(pidAlive(sec.pid));
  });
});

describe('faults: a shell killed with SIGKILL takes its children and files with it', function () {
  let prefix: string;
  beforeEach(() => (prefix = uniquePrefix('fault')));
  afterEach(() => removePrefixFiles(prefix));

  for (const [group, spawnCmd] of [
    ['symmetric workers', 'spawn symmetric 2'],
    ['a server and its clients', 'spawn server --clients 2 --start-clients'],
  ] as const) {
    it(`a primary shell: ${group} stop and the prefix's hugepage and runtime files go`, async () => {
      const pri = await shell('primary shell', ['--file-prefix', prefix]);
      const children = pidsIn(await pri.command(spawnCmd, 30_000));
      children.forEach(adopt);
      assert.ok(children.length >= 2);
      assert.ok(leftovers(prefix).length > 0, 'the group has files while it runs');
      pri.signal('SIGKILL');
      await pri.waitExit();
      for (const pid of children) assert.ok(await exitsWithin(pid, 8000), `child ${pid} stopped with its shell`);
      await untilNoLeftovers(prefix, 5000);
    });
  }

  it('a secondary shell: the worker it restarted stops, its own files go, and the primary shell keeps the rest', async () => {
    const pri = await shell('primary shell', ['--file-prefix', prefix]);
    pidsIn(await pri.command('spawn symmetric 2')).forEach(adopt);
    const sec = await shell('secondary shell', ['--file-prefix', prefix]);
    const [restarted] = pidsIn(await sec.command('restart sym1', 30_000));
    adopt(restarted!);
    const socketOf = (pid: number) => fs.readdirSync(`/var/run/dpdk/${prefix}`).filter((f) => f.startsWith(`mp_socket_${pid}_`));
    assert.equal(socketOf(sec.pid).length, 1, "the secondary shell's socket while it runs");
    sec.signal('SIGKILL');
    await sec.waitExit();
    assert.ok(await exitsWithin(restarted!, 8000), 'the worker the killed shell started stopped');
    const deadline = Date.now() + 5000;
    while (socketOf(sec.pid).length > 0 && Date.now() < deadline) await sleep(100);
    assert.deepEqual(socketOf(sec.pid), [], "the killed shell's socket removed");
    const before = proc(await statsOf(pri), 'sym0').ports.reduce((n, p) => n + p.rx, 0);
    await statsUntil(pri, (s) => proc(s, 'sym0').ports.reduce((n, p) => n + p.rx, 0) > before, 5000, 'sym0 still forwarding');
    pri.write('quit');
    assert.equal((await pri.waitExit()).code, 0);
    await untilNoLeftovers(prefix, 5000);
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

  it('after the primary died, a secondary shell restarts it and its survivor, and they forward', async () => {
    const [pri, sec] = await standaloneGroup(prefix);
    pri.signal('SIGKILL');
    await pri.waitExit();
    // With no primary left, a secondary's address-space collision must still
    // be retried (the fake one makes sure this path runs every time).
    const late = await shell('late shell', ['--file-prefix', prefix, '--proc-type=secondary'], { MPSH_FAKE_EAL_FAILURE: 'va', MPSH_EAL_LOG: '1' });
    // The dead primary's socket is really gone (its survivor did not inherit
    // it), so EAL's request to it is refused at once instead of timing out.
    assert.match(late.err, /mp_socket:bus_vdev_mp/);
    assert.doesNotMatch(late.err, /Fail to recv reply/);
    for (const name of ['sym0', 'sym1']) {
      const out = await late.command(`restart ${name}`, 30_000);
      pidsIn(out).forEach(adopt);
      assert.match(out, new RegExp(`${name} restarted \\(pid \\d+\\)`));
    }
    assert.ok(!pidAlive(sec.pid) || (await exitsWithin(sec.pid, 5000)), 'the survivor was stopped for its restart');
    await grows(late, 'sym0', rx);
    await grows(late, 'sym1', rx);
    // The late shell stops what it restarted gracefully.
    for (const name of ['sym0', 'sym1']) {
      const said = await late.command(`kill ${name}`);
      assert.match(said, new RegExp(`^${name} stopped$`, 'm'));
      assert.doesNotMatch(said, /SIGKILL/);
    }
  });

  it('the same for a client-server group: the restarted server and client forward', async () => {
    const role = (name: string, args: string[]) => mpsh(name, [name.replace(/\d+$/, ''), '--file-prefix', prefix, '--', ...args]);
    const server = role('server', ['-p', '3', '-n', '2']);
    await server.waitFor(/Finished Process Init/, 20_000);
    for (const id of [0, 1]) await role(`client${id}`, ['-n', String(id)]).waitFor(/Finished Process Init/, 20_000);
    server.signal('SIGKILL');
    await server.waitExit();
    const late = await shell('late shell', ['--file-prefix', prefix]);
    for (const name of ['client0', 'server']) {
      const out = await late.command(`restart ${name}`, 30_000);
      pidsIn(out).forEach(adopt);
      assert.match(out, new RegExp(`${name} restarted \\(pid \\d+\\)`));
    }
    await grows(late, 'client0', tx);
    await grows(late, 'client1', tx);
  });

  it("the primary's quit stops a worker another shell restarted, and leaves no files behind, nor a guardian", async () => {
    const pri = await shell('primary shell', ['--file-prefix', prefix]);
    pidsIn(await pri.command('spawn symmetric 2')).forEach(adopt);
    const guardians = (pid: number) =>
      fs
        .readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
        .split(' ')
        .filter(Boolean)
        .map(Number)
        .filter((c) => fs.readFileSync(`/proc/${c}/cmdline`, 'utf8').includes('guardianProcess'));
    const [guardian] = guardians(pri.pid);
    assert.ok(guardian, "the primary shell's guardian runs");
    const sec = await shell('secondary shell', ['--file-prefix', prefix]);
    const out = await sec.command('restart sym1');
    const [restarted] = pidsIn(out);
    adopt(restarted!);
    sec.write('quit');
    await sec.waitFor(/leaving sym1 running/);
    assert.equal((await sec.waitExit()).code, 0);
    // Its guardian was told the end was a clean one: it leaves the worker be.
    await sleep(1500);
    assert.ok(pidAlive(restarted!), 'the secondary shell left it running');
    pri.write('quit');
    await pri.waitFor(/stopping sym0, sym1…\nstopped sym0, sym1/);
    assert.equal((await pri.waitExit()).code, 0);
    assert.ok(await exitsWithin(restarted!, 1000), 'the restarted worker is gone');
    assert.deepEqual(leftovers(prefix), []);
    assert.ok(await exitsWithin(guardian!, 2000), 'the guardian left with its shell');
  });
});
