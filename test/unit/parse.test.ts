import assert from 'node:assert/strict';
import { parseLine, shown, words } from '../../src/commands/parse.js';
import { ealOptionValue, hasEalOption, planEalArgs, splitArgs } from '../../src/core/ealOptions.js';

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
