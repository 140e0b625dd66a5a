import assert from 'node:assert/strict';
import { parseLine, shown, words } from '../../src/commands/parse.js';
import { ealOptionValue, hasEalOption, planEalArgs, splitArgs } from '../../src/core/dpdk/ealOptions.js';
import { parseClientArgs, parseServerArgs } from '../../src/core/roles/clientServer/args.js';
import { DEFAULT_RING_SIZE, parseRingSize } from '../../src/core/roles/clientServer/ringSize.js';
import { poolSize } from '../../src/core/roles/clientServer/setup.js';

describe('command line parsing', () => {
  it('splits the name from the rest, keeping inner and trailing spaces', () => {
    assert.deepEqual(parseLine('send hello  world  '), { name: 'send', rest: 'hello  world  ' });
    assert.deepEqual(parseLine('  send\t a b\r\n'), { name: 'send', rest: 'a b' });
    assert.deepEqual(parseLine('quit'), { name: 'quit', rest: '' });
  });
  it('treats blank lines as nothing', () => {
    assert.equal(parseLine(''), null);
    assert.equal(parseLine('   \t '), null);
  });
  it('splits words and shows garbage safely', () => {
    assert.deepEqual(words(' a  b\tc '), ['a', 'b', 'c']);
    assert.equal(shown('a\x00b\x1bc'), 'a?b?c');
    assert.equal(shown('x'.repeat(100)).length, 41);
  });
});

describe('EAL options', () => {
  it('splits at the first --', () => {
    assert.deepEqual(splitArgs(['-l', '1', '--', '-p', '3', '--', 'x']), { eal: ['-l', '1'], app: ['-p', '3', '--', 'x'] });
    assert.deepEqual(splitArgs(['--file-prefix=a']), { eal: ['--file-prefix=a'], app: [] });
  });
  it('reads option values in every spelling', () => {
    assert.equal(ealOptionValue(['--file-prefix', 'a'], '--file-prefix'), 'a');
    assert.equal(ealOptionValue(['--file-prefix=b'], '--file-prefix'), 'b');
    assert.equal(ealOptionValue(['-l1-2'], '-l'), '1-2');
    assert.equal(ealOptionValue(['-l', '3'], '-l'), '3');
    assert.ok(hasEalOption(['--lcores=1@0'], '--lcores'));
    assert.ok(!hasEalOption(['--log-level=8'], '-l'), '--log-level is not -l');
  });

  const base = {
    lcoreCount: 2,
    cpuFor: () => '(0-1)',
    claimLcores: (n: number) => Array.from({ length: n }, (_, i) => 40 + i),
    defaultVdevs: ['net_null0', 'net_null1'],
    orphans: [] as number[],
  };

  it('fills in the embedded default, with ports only for a new primary', () => {
    const p = planEalArgs({ ...base, userEal: [], primaryRunning: false });
    assert.deepEqual(p.args, ['--proc-type=auto', '--file-prefix=mpsh', '--no-pci', '--lcores=40@(0-1),41@(0-1)', '--vdev=net_null0', '--vdev=net_null1']);
    assert.deepEqual(p.claimed, [40, 41]);
    const s = planEalArgs({ ...base, userEal: [], primaryRunning: true });
    assert.ok(!s.args.some((a) => a.startsWith('--vdev')), 'a secondary gets the primary ports, not new ones');
    assert.equal(p.attachesAsSecondary, false);
    assert.equal(s.attachesAsSecondary, true);
    const late = planEalArgs({ ...base, userEal: ['--proc-type=secondary'], primaryRunning: false });
    assert.equal(late.attachesAsSecondary, true, 'a secondary may attach after its primary died');
  });

  it('attaches as a secondary, never as a new primary, where secondaries outlived their primary', () => {
    const auto = planEalArgs({ ...base, userEal: ['--file-prefix', 'x'], primaryRunning: false, orphans: [11, 12] });
    assert.ok(auto.args.includes('--proc-type=secondary'));
    assert.ok(!auto.args.some((a) => a.startsWith('--vdev')), 'no ports of its own');
    assert.equal(auto.attachesAsSecondary, true);
    assert.match(auto.notice ?? '', /primary of file prefix 'x' is gone and 2 of its processes still run \(pid 11, 12\): attaching as a secondary/);
    const explicitAuto = planEalArgs({ ...base, userEal: ['--proc-type', 'auto'], primaryRunning: false, orphans: [11] });
    assert.deepEqual(
      explicitAuto.args.filter((a) => a.includes('proc-type') || a === 'auto'),
      ['--proc-type=secondary'],
    );
    assert.throws(
      () => planEalArgs({ ...base, userEal: ['--proc-type=primary'], primaryRunning: false, orphans: [11] }),
      /has lost its primary but 1 of its processes still run \(pid 11\).*--proc-type=secondary/,
    );
    const fine = planEalArgs({ ...base, userEal: [], primaryRunning: true, orphans: [11] });
    assert.equal(fine.notice, undefined, 'a primary is there: nothing to say');
  });

  it('passes user options through unchanged and fills only the gaps', () => {
    const user = ['-l', '4', '--file-prefix', 'x', '--vdev', 'net_pcap0,iface=lo'];
    const p = planEalArgs({ ...base, userEal: user, primaryRunning: false });
    assert.deepEqual(p.args, [...user, '--proc-type=auto']);
    assert.equal(p.filePrefix, 'x');
    assert.deepEqual(p.claimed, []);
  });
});

describe('client-server: --ring-size', () => {
  it('is taken next to the stock arguments, in both spellings; absent, it is left to the creator', () => {
    assert.equal(parseServerArgs(['-p', '3', '-n', '2', '--ring-size', '512']).ringSize, 512);
    assert.equal(parseServerArgs(['--ring-size=128', '-p3', '-n2', '--idle', 'poll']).ringSize, 128);
    assert.equal(parseServerArgs(['-p', '3', '-n', '2']).ringSize, undefined);
    assert.throws(() => parseClientArgs(['-n', '0', '--ring-size', '512']), /--ring-size is the server's choice/);
  });
  it('accepts powers of two from 64 to 16384 and says what to give instead of anything else', () => {
    for (const n of [64, 128, 2048, 16384]) assert.equal(parseRingSize(String(n)), n);
    assert.throws(() => parseRingSize('100'), /^UsageError: --ring-size 100: .* power of two from 64 to 16384, e\.g\. 64 or 128 /);
    assert.throws(() => parseRingSize('0'), /--ring-size 0: .*; 64 is the smallest/);
    assert.throws(() => parseRingSize('65536'), /--ring-size 65536: .*; 16384 is the largest/);
    assert.throws(() => parseRingSize('x'), /--ring-size x: the client ring size must be a power of two from 64 to 16384 \(/);
    assert.throws(() => parseRingSize('0x800'), /--ring-size 0x800:/);
    assert.throws(() => parseRingSize(undefined), /--ring-size needs a power of two from 64 to 16384/);
  });
  it("sizes the pool for full rings: stock's pool with stock's rings, more with larger ones", () => {
    // mp_server's init.c for 2 ports and 2 clients: 1024*2 + 2*(128 + 1024*2) + 3*512.
    assert.equal(poolSize(2, 2, 128), 7936);
    assert.equal(poolSize(2, 2, DEFAULT_RING_SIZE) - poolSize(2, 2, 128), 2 * (DEFAULT_RING_SIZE - 128));
  });
});
