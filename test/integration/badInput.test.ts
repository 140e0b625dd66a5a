/** Bad input and EAL failures: one clear line, never a crash, a hang or a lost buffer. */
import assert from 'node:assert/strict';
import { mpsh, removePrefixFiles, uniquePrefix, type Proc } from '../../harness/proc.js';

describe('bad input', function () {
  let prefix: string;
  let pri: Proc;
  beforeEach(async () => {
    prefix = uniquePrefix('bad');
    pri = mpsh('primary', ['--file-prefix', prefix]);
    await pri.waitFor(/simple_mp > /, 20_000);
  });
  afterEach(() => removePrefixFiles(prefix));

  it('answers unknown commands, empty lines and binary garbage, then still works', async () => {
    assert.match(await pri.command('launch rockets'), /^unknown command 'launch': type help for the list$/);
    assert.equal(await pri.command(''), '');
    assert.equal(await pri.command('   \t'), '');
    const garbage = Buffer.from([0x00, 0xff, 0xfe, 0x1b, 0x5b, 0x32, 0x4a, 0x07, 0x41]).toString('latin1');
    assert.match(await pri.command(garbage), /^unknown command '.*': type help/);
    assert.match(await pri.command('help'), /send <text>/);
  });

  it('refuses a message over 127 bytes and a 1 MB line, sending nothing', async () => {
    const sec = mpsh('secondary', ['--file-prefix', prefix]);
    await sec.waitFor(/simple_mp > /, 20_000);
    assert.match(await pri.command(`send ${'x'.repeat(128)}`), /message is 128 bytes, at most 127 fit; nothing was sent/);
    assert.match(await pri.command(`send ${'é'.repeat(64)}`), /message is 128 bytes/);
    assert.match(await pri.command(`send ${'y'.repeat(4000)}`), /message is 4000 bytes/);
    assert.equal(await pri.command(`send ${'y'.repeat(1024 * 1024)}`), 'line too long (over 4096 characters): nothing was run');
    assert.equal(await pri.command(`${'z'.repeat(1024 * 1024)}`), 'line too long (over 4096 characters): nothing was run');
    await pri.command(`send ${'k'.repeat(127)}`);
    assert.equal((await sec.waitFor(/Received '(k*)'/))[1]!.length, 127);
    assert.doesNotMatch(sec.out, /x{10}|y{10}/);
    assert.match(await pri.command('pools'), /MSG_POOL: 0 in use/);
  });

  it('reports a full ring as stock does and returns the buffer', async () => {
    // No secondary: PRI_2_SEC (64 slots, 63 usable) fills up.
    for (let i = 0; i < 70; i++) pri.write(`send m${i}`);
    pri.write('pools');
    await pri.waitFor(/MSG_POOL: .*\n(?: .*\n)*\nsimple_mp > /);
    const out = pri.out;
    assert.equal(out.match(/Failed to send message - message discarded/g)?.length, 7);
    assert.match(out, /MSG_POOL: 63 in use/);
    // A secondary drains the ring; every buffer comes back.
    const sec = mpsh('secondary', ['--file-prefix', prefix]);
    await sec.waitFor(/Received 'm62'/, 20_000);
    assert.match(await pri.command('pools'), /MSG_POOL: 0 in use/);
  });
});

describe('EAL failures', function () {
  it('secondary with no primary: one line with a hint, non-zero, fast', async () => {
    const prefix = uniquePrefix('noprimary');
    const t0 = Date.now();
    const p = mpsh('secondary', ['--file-prefix', prefix, '--proc-type=secondary']);
    const exit = await p.waitExit(10_000);
    assert.equal(exit.code, 1);
    assert.ok(Date.now() - t0 < 5000);
    assert.equal(p.err.trim().split('\n').length, 1, p.err);
    // Refused before EAL runs (it would leave the runtime directory and lcore locks).
    assert.match(p.err, /^mpsh: no primary process is running for file prefix '[^']+': start one first, or use --proc-type=auto/);
    removePrefixFiles(prefix);
  });

  it('a second primary on a held prefix: one line with a hint', async () => {
    const prefix = uniquePrefix('twoprimaries');
    const first = mpsh('primary', ['--file-prefix', prefix]);
    await first.waitFor(/simple_mp > /, 20_000);
    const second = mpsh('second primary', ['--file-prefix', prefix, '--proc-type=primary']);
    assert.equal((await second.waitExit()).code, 1);
    assert.match(second.err, /^mpsh: EAL init failed: .*another primary already holds file prefix/);
    assert.equal(second.err.trim().split('\n').length, 1);
    // The first primary is unharmed.
    assert.match(await first.command('pools'), /MSG_POOL: 0 in use/);
    removePrefixFiles(prefix);
  });

  it('no hugepages (hugetlbfs not where EAL is told to look): one line with the set-up hint', async () => {
    const prefix = uniquePrefix('nohuge');
    const p = mpsh('primary', ['--file-prefix', prefix, '--huge-dir=/proc']);
    assert.equal((await p.waitExit()).code, 1);
    removePrefixFiles(prefix);
    assert.match(p.err, /^mpsh: EAL init failed: .* — no usable hugepages: run `npm run setup`/);
  });

  it('bad EAL and shell options: one line each', async () => {
    const a = mpsh('bad eal', ['--bogus-option']);
    assert.equal((await a.waitExit()).code, 1);
    assert.match(a.err, /^mpsh: EAL init failed: unrecognized option '--bogus-option' — check the EAL options/);
    const b = mpsh('bad app', ['--file-prefix', uniquePrefix('badapp'), '--', '--frob']);
    assert.equal((await b.waitExit()).code, 1);
    assert.match(b.err, /^mpsh: unknown shell option '--frob'/);
  });
});
