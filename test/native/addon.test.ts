/**
 * The native layer inside one real EAL process (this mocha process): rings,
 * mempools, memzones and the lcore receive loop, with DPDK errors surfacing
 * as DpdkError carrying rte_errno.
 */
import assert from 'node:assert/strict';
import { DpdkError } from '../../src/core/util/errors.js';
import { lcoreClaimDir, FIRST_DEFAULT_LCORE } from '../../src/core/dpdk/ealOptions.js';
import { native } from '../../src/core/dpdk/native.js';
import { removePrefixFiles, uniquePrefix } from '../../harness/proc.js';

describe('native addon in one EAL process', function () {
  const prefix = uniquePrefix('native');
  const addon = native();
  let worker: number;

  before(function () {
    const ids = addon.claimLcores(lcoreClaimDir(prefix), 2, FIRST_DEFAULT_LCORE, addon.maxLcore - 1);
    const r = addon.ealInit(['--proc-type=primary', `--file-prefix=${prefix}`, '--no-pci', `--lcores=${ids[0]}@(0-1),${ids[1]}@(0-1)`]);
    assert.ok(r.ok, r.ok ? '' : r.log);
    assert.equal(r.processType, 'primary');
    assert.deepEqual(r.lcores, ids);
    worker = ids[1]!;
    // Another claim for the same ids fails while we hold them.
    assert.ok(addon.lcoreClaimed(lcoreClaimDir(prefix), ids[0]!));
  });

  after(() => {
    addon.ealCleanup();
    removePrefixFiles(prefix);
  });

  it('creates and looks up rings; lookups of missing objects answer null', () => {
    const r = addon.Ring.create('NT_RING', 64);
    assert.equal(r.name, 'NT_RING');
    assert.equal(r.capacity, 63);
    assert.equal(addon.Ring.lookup('NT_RING')?.name, 'NT_RING');
    assert.equal(addon.Ring.lookup('NO_SUCH_RING'), null);
    assert.equal(addon.Mempool.lookup('NO_SUCH_POOL'), null);
    assert.equal(addon.Memzone.lookup('NO_SUCH_ZONE'), null);
  });

  it('raises DpdkError with rte_errno and its text', () => {
    assert.throws(
      () => addon.Ring.create('NT_RING', 64),
      (e: unknown) => e instanceof DpdkError && e.errno === 17 && /cannot create ring NT_RING: File exists/.test(e.message),
    );
    assert.throws(
      () => addon.Ring.create('NT_BAD', 100),
      (e: unknown) => e instanceof DpdkError && e.errno === 22,
    );
    assert.throws(() => addon.Ring.create(42 as unknown as string, 64), TypeError);
    assert.throws(() => new (addon.Ring as unknown as new () => unknown)(), /use create\(\) or lookup\(\)/);
  });

  it('refuses malformed loop options with an error naming the option, never a silent 0', () => {
    const layout = addon.statsLayout();
    const zone = addon.Memzone.reserve('NT_OPTS', Math.max(layout.symmetric.size, layout.clientServer.size, layout.clientServer.portInfo.size));
    const sym = (o: unknown) => () => new addon.SymmetricWorker(o as never);
    assert.throws(sym('x'), /options object expected/);
    assert.throws(sym({ ports: 'x', queue: 0, stats: zone, slot: 0 }), /ports must be an array/);
    assert.throws(sym({ ports: [0, '1'], queue: 0, stats: zone, slot: 0 }), /ports\[1\] must be a number/);
    assert.throws(sym({ ports: [0, 1], queue: -1, stats: zone, slot: 0 }), /queue must be a non-negative integer/);
    assert.throws(sym({ ports: [0, 1], queue: 0, stats: {}, slot: 0 }), /stats must be a Memzone/);
    assert.throws(sym({ ports: [0, 1], queue: 0, stats: zone, slot: '0' }), /slot must be a number/);
    const server = (o: unknown) => () => new addon.ServerDistributor(o as never);
    const ring = addon.Ring.create('NT_OPTS_RING', 64);
    assert.throws(server({ portInfo: zone, stats: zone, rings: 'x', strict: false }), /rings must be an array/);
    assert.throws(server({ portInfo: zone, stats: zone, rings: [ring], strict: 'yes' }), /strict must be true or false/);
    assert.throws(server({ portInfo: zone, stats: zone, rings: [{}], strict: false }), /expected a Ring/);
    assert.throws(() => new addon.ClientForwarder({ clientId: 1.5, ring, portInfo: zone, stats: zone }), /clientId must be a non-negative integer/);
  });

  it('sends through a ring and receives on a worker lcore, returning every buffer', async () => {
    const pool = addon.Mempool.create('NT_POOL', 1024, 128, 32);
    const ring = addon.Ring.create('NT_LOOP', 64);
    const ch = new addon.MessageChannel(ring, ring, pool);
    const got: [string, number][] = [];
    const all = new Promise<void>((resolve) =>
      ch.startReceiver(worker, (bytes, lcore) => {
        got.push([bytes.toString('utf8'), lcore]);
        if (got.length === 100) resolve();
      }),
    );
    for (let i = 0; i < 100; i++) {
      while (ch.send(Buffer.from(`msg ${i} with spaces`)) === 'ring-full') await new Promise((r) => setTimeout(r, 1));
    }
    await all;
    ch.stopReceiver();
    assert.deepEqual(got[0], ['msg 0 with spaces', worker]);
    assert.deepEqual(
      got.map(([t]) => t),
      Array.from({ length: 100 }, (_, i) => `msg ${i} with spaces`),
    );
    assert.equal(pool.inUseCount(), 0);
    assert.equal(ring.count(), 0);
  });

  it('reports a full ring and puts the buffer back', () => {
    const pool = addon.Mempool.create('NT_POOL2', 1024, 128, 32);
    const ring = addon.Ring.create('NT_FULL', 64);
    const ch = new addon.MessageChannel(ring, null, pool);
    const outcomes = Array.from({ length: 70 }, () => ch.send(Buffer.from('x')));
    assert.equal(outcomes.filter((o) => o === 'sent').length, 63);
    assert.equal(outcomes.filter((o) => o === 'ring-full').length, 7);
    assert.equal(pool.inUseCount(), 63);
    assert.throws(() => ch.send(Buffer.alloc(128)), RangeError);
    assert.throws(() => ch.startReceiver(worker, () => {}), /no receive ring/);
  });

  it('exposes memzones as zero-copy views of shared memory', () => {
    const mz = addon.Memzone.reserve('NT_ZONE', 4096);
    assert.ok(mz.length >= 4096);
    const a = new BigUint64Array(mz.buffer());
    const b = new BigUint64Array(addon.Memzone.lookup('NT_ZONE')!.buffer());
    assert.equal(b[7], 0n);
    a[7] = 0xffff_ffff_ffff_fffen;
    assert.equal(b[7], 0xffff_ffff_ffff_fffen, 'both views alias one memory');
  });

  it('runs lcore loops only on worker lcores of this process', () => {
    const pool = addon.Mempool.lookup('NT_POOL')!;
    const ring = addon.Ring.lookup('NT_LOOP')!;
    const ch = new addon.MessageChannel(ring, ring, pool);
    assert.throws(() => ch.startReceiver(addon.ealInfo().mainLcore, () => {}), /not a worker lcore/);
    assert.throws(() => ch.startReceiver(127, () => {}), /not a worker lcore/);
  });
});
