/**
 * Errors that used to mislead or say nothing: each is one accurate line,
 * given before anything is done.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { mpsh, removePrefixFiles, uniquePrefix, type Proc } from '../../harness/proc.js';

const oneLine = (p: Proc) =>
  p.err
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('mpsh:'));

describe('errors: start-up', function () {
  let prefix: string;
  beforeEach(() => (prefix = uniquePrefix('err')));
  afterEach(() => removePrefixFiles(prefix));

  it('an unknown role is refused, not taken for a shell', async () => {
    const p = mpsh('bogus', ['bogusrole', '--file-prefix', prefix]);
    assert.equal((await p.waitExit()).code, 1);
    assert.match(p.err.trim(), /^mpsh: unknown role 'bogusrole': give one of [\w, ]+, or only options for the shell \(see mpsh --help\)$/);
    for (const role of ['symmetric', 'server', 'client']) assert.ok(p.err.includes(` ${role},`) || p.err.includes(` ${role} `), role);
    assert.equal(fs.existsSync(`/var/run/dpdk/${prefix}`), false);
  });

  for (const opt of [['-m', '999999'], ['--socket-mem=999999']]) {
    it(`${opt.join(' ')}: says memory asked for is more than there is, not that hugepages are missing`, async () => {
      const p = mpsh('big', ['--file-prefix', prefix, ...opt]);
      assert.equal((await p.waitExit(20_000)).code, 1);
      const lines = oneLine(p);
      assert.equal(lines.length, 1, p.err);
      assert.match(
        lines[0]!,
        /^mpsh: EAL init failed: Not enough memory available.*Requested: 999999MB, available: \d+MB — ask for less with -m or --socket-mem/,
      );
      assert.doesNotMatch(p.err, /no usable hugepages/);
    });
  }

  it('a primary whose pool EAL has no memory for says so in one line and leaves no hugepage files nor runtime directory', async () => {
    // --socket-limit caps EAL's memory: EAL starts, the pool does not fit.
    const cases: [string[], RegExp][] = [
      [
        ['symmetric', '--file-prefix', prefix, '--socket-limit=64', '--', '-p', '3', '--num-procs', '1', '--proc-id', '0'],
        /^mpsh: cannot create mbuf pool SMP_MBUF_POOL: Cannot allocate memory \(65536 mbufs, as stock's\): reserve more hugepage memory/,
      ],
      [
        ['server', '--file-prefix', prefix, '--socket-limit=16', '--', '-p', '3', '-n', '2'],
        /^mpsh: cannot create mbuf pool MProc_pktmbuf_pool: Cannot allocate memory \(\d+ mbufs for 2 clients with rings of 2048\): give a smaller --ring-size/,
      ],
    ];
    for (const [args, line] of cases) {
      const p = mpsh(args[0]!, args);
      assert.equal((await p.waitExit(20_000)).code, 1, p.err);
      const lines = oneLine(p);
      assert.equal(lines.length, 1, p.err);
      assert.match(lines[0]!, line);
      assert.deepEqual(
        fs.readdirSync('/dev/hugepages').filter((f) => f.startsWith(`${prefix}map_`)),
        [],
        'hugepage files removed',
      );
      assert.equal(fs.existsSync(`/var/run/dpdk/${prefix}`), false, 'runtime directory removed');
    }
  });

  it('a --file-prefix with a / is refused before any directory is made', async () => {
    const p = mpsh('slash', ['--file-prefix', `${prefix}/nested`]);
    assert.equal((await p.waitExit()).code, 1);
    assert.equal(
      p.err.trim(),
      `mpsh: --file-prefix '${prefix}/nested' cannot name files (no '/', not empty, not . or ..): give a plain name, e.g. --file-prefix mpsh2`,
    );
    assert.equal(fs.existsSync(`/var/run/dpdk/${prefix}`), false);
  });

  it('a --vdev EAL could not create is reported, not dropped', async () => {
    const p = mpsh('vdev', ['--file-prefix', prefix, '--no-pci', '--vdev=net_null0,garbage=1', '--vdev=net_null1']);
    await p.waitFor(/simple_mp > /, 20_000);
    assert.match(
      p.err,
      /^mpsh: --vdev net_null0,garbage=1 was not created \(EAL: failed to initialize net_null0 device\): check the device's arguments; this process runs without it$/m,
    );
    assert.doesNotMatch(p.err, /net_null1/);
  });
});

describe('errors: commands', function () {
  let prefix: string;
  let sh: Proc;
  beforeEach(async () => {
    prefix = uniquePrefix('cmderr');
    sh = mpsh('primary', ['--file-prefix', prefix]);
    await sh.waitFor(/simple_mp > /, 20_000);
  });
  afterEach(() => removePrefixFiles(prefix));

  it('spawn checks its request before it touches the ports', async () => {
    for (const [line, re] of [
      ['spawn symmetric 0', /^spawn: the number of workers must be 1 \.\. \d+$/],
      ['spawn symmetric 999', /^spawn: the number of workers must be 1 \.\. \d+$/],
      ['spawn symmetric 2 --portmask zz', /^spawn: port mask 'zz' is not hexadecimal/],
      ['spawn symmetric 1 --portmask 4', /^spawn: port mask 0x4 selects port 2, but this process has ports 0, 1$/],
      ['spawn symmetric 1 --portmask 1', /^spawn: --portmask 1 selects 1 port: forwarding pairs ports/],
      ['spawn server', /^spawn: spawn server needs --clients <N>, the number of clients \(1 \.\. 16\)/],
      ['spawn server --clients 0', /^spawn: --clients must be 1 \.\. 16$/],
    ] as const) {
      assert.match(await sh.command(line), re, line);
    }
    assert.doesNotMatch(sh.out, /configuring ports/);
    assert.match(await sh.command('ps'), /^no processes/);
  });

  it('ps shows clients that never started as not started, without a pid', async () => {
    assert.match(await sh.command('spawn server --clients 2', 30_000), /serving 2 clients on ports 0, 1: server \(pid \d+\)/);
    const ps = await sh.command('ps');
    assert.match(ps, /^client0 +client +- +not started +-$/m);
    assert.match(ps, /^client1 +client +- +not started +-$/m);
    assert.match(ps, /^server +server +\d+ +running/m);
    assert.doesNotMatch(ps, /unknown| 0 /);
  });

  it("a shell's first stats shows the traffic that flows, not 0", async () => {
    assert.match(await sh.command('spawn symmetric 1', 30_000), /forwarding on ports 0, 1: sym0/);
    type Stats = { ports: { port: number; rx_pps: number; tx_pps: number }[] };
    const flowing = (s: Stats) => s.ports.length === 2 && s.ports.every((p) => p.rx_pps > 0 && p.tx_pps > 0);
    // Traffic is live (seen by the shell that started it) before the new shell starts.
    const deadline = Date.now() + 20_000;
    while (!flowing(JSON.parse(await sh.command('stats --json')) as Stats)) assert.ok(Date.now() < deadline, 'traffic never flowed');
    const mon = mpsh('secondary', ['--file-prefix', prefix]);
    await mon.waitFor(/simple_mp > /, 20_000);
    const first = JSON.parse(await mon.command('stats --json')) as Stats;
    assert.ok(flowing(first), JSON.stringify(first.ports));
  });
});

describe('errors: send with nobody to receive', function () {
  let prefix: string;
  beforeEach(() => (prefix = uniquePrefix('nobody')));
  afterEach(() => removePrefixFiles(prefix));

  it('a secondary whose primary quit waits for the next one; a primary with no secondary says the message waits', async () => {
    const pri = mpsh('primary', ['--file-prefix', prefix]);
    await pri.waitFor(/simple_mp > /, 20_000);
    assert.equal(await pri.command('send early'), 'no secondary is attached: the message waits in PRI_2_SEC for the next one');
    const sec = mpsh('secondary', ['--file-prefix', prefix]);
    await sec.waitFor(/Received 'early'/, 20_000);
    assert.equal(await pri.command('send now'), '');
    await sec.waitFor(/Received 'now'\n/);
    assert.equal(await sec.command('send up'), '');
    await pri.waitFor(/Received 'up'/);
    pri.write('quit');
    assert.deepEqual(await pri.waitExit(20_000), { code: 0, signal: null });
    // Nothing goes on without that primary: the secondary lets go of its
    // memory (so a new primary can start) and waits instead of sending into nothing.
    await sec.waitFor(/has exited: detached from its memory; waiting for a new primary/, 5000, 'err');
    sec.write('send anyone');
    await sec.waitFor(/not attached: waiting for a primary of file prefix/, 5000, 'err');
    const next = mpsh('next primary', ['--file-prefix', prefix]);
    await next.waitFor(/simple_mp > /, 20_000);
    await sec.waitFor(/simple_mp > /, 20_000);
    assert.equal(await sec.command('send again'), '');
    await next.waitFor(/Received 'again'/);
    assert.match(await sec.command('pools'), /MSG_POOL: 0 in use/);
  });
});
