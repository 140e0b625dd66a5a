/**
 * simple_mp across real processes on real DPDK: mpsh with mpsh, and mpsh
 * with the stock dpdk-simple_mp in both roles and both directions.
 */
import assert from 'node:assert/strict';
import { mpsh, removePrefixFiles, stock, uniquePrefix, type Proc } from '../../harness/proc.js';
import { stockBinary } from '../../harness/stock.js';

const PROMPT = /simple_mp > /;

async function started(p: Proc): Promise<Proc> {
  // Stock's lcore thread prints "Starting core N" into the middle of its prompt.
  await p.waitFor(p.name.startsWith('stock') ? /Starting core \d+/ : PROMPT, 20_000);
  return p;
}

describe('simple_mp: two mpsh processes', function () {
  let prefix: string;
  beforeEach(() => (prefix = uniquePrefix('smp')));
  afterEach(() => removePrefixFiles(prefix));

  it('exchange messages both ways, spaces kept, buffers returned', async () => {
    const pri = await started(mpsh('primary', ['--file-prefix', prefix]));
    const sec = await started(mpsh('secondary', ['--file-prefix', prefix]));
    pri.write('send hello  from   the primary ');
    const got = await sec.waitFor(/core (\d+): Received '(.*)'\n/);
    assert.equal(got[2], 'hello  from   the primary ');
    sec.write('send and back');
    assert.equal((await pri.waitFor(/core \d+: Received '(.*)'\n/))[1], 'and back');
    // Each message's buffer went back to MSG_POOL on receipt.
    assert.match(await pri.command('pools'), /MSG_POOL: 0 in use, 1024 available, 1024 total/);
    pri.write('quit');
    sec.endInput();
    assert.deepEqual(await sec.waitExit(), { code: 0, signal: null });
    assert.deepEqual(await pri.waitExit(), { code: 0, signal: null });
  });

  it('delivers messages sent before the secondary attached, in order', async () => {
    const pri = await started(mpsh('primary', ['--file-prefix', prefix]));
    for (let i = 0; i < 5; i++) pri.write(`send early ${i}`);
    await pri.command('pools');
    const sec = mpsh('secondary', ['--file-prefix', prefix]);
    for (let i = 0; i < 5; i++) assert.equal((await sec.waitFor(/Received '(.*)'/))[1], `early ${i}`);
  });

  it("a secondary whose first EAL attempt collides with V8's address space retries in a fresh image, same pid and stdio", async () => {
    const pri = await started(mpsh('primary', ['--file-prefix', prefix]));
    const sec = mpsh('secondary', ['--file-prefix', prefix], { env: { MPSH_FAKE_EAL_FAILURE: 'va' } });
    await started(sec);
    sec.write('send after retry');
    assert.equal((await pri.waitFor(/Received '(.*)'/))[1], 'after retry');
    pri.write('send to the retried one');
    assert.equal((await sec.waitFor(/Received '(.*)'/))[1], 'to the retried one');
    sec.endInput();
    assert.deepEqual(await sec.waitExit(), { code: 0, signal: null });
  });

  it('a secondary that fails late in EAL init (memory mapped, socket open, locks taken) starts cleanly on its retry', async () => {
    const pri = await started(mpsh('primary', ['--file-prefix', prefix]));
    const sec = mpsh('secondary', ['--file-prefix', prefix], { env: { MPSH_FAKE_EAL_FAILURE: 'late' } });
    await started(sec);
    sec.write('send after a late failure');
    assert.equal((await pri.waitFor(/Received '(.*)'/))[1], 'after a late failure');
    sec.endInput();
    assert.deepEqual(await sec.waitExit(), { code: 0, signal: null });
    // Nothing of the failed image lingers to trouble the next secondary.
    const third = await started(mpsh('third', ['--file-prefix', prefix]));
    pri.write('send still fine');
    assert.equal((await third.waitFor(/Received '(.*)'/))[1], 'still fine');
  });

  it('says which role and lcores it has, distinct lcores per process', async () => {
    const pri = await started(mpsh('primary', ['--file-prefix', prefix, '--', '--line']));
    const sec = await started(mpsh('secondary', ['--file-prefix', prefix]));
    pri.write('send x');
    const a = Number((await sec.waitFor(/core (\d+): Received 'x'/))[1]);
    sec.write('send y');
    const b = Number((await pri.waitFor(/core (\d+): Received 'y'/))[1]);
    assert.notEqual(a, b, 'two processes of one prefix must not share an lcore id');
  });
});

describe('simple_mp: interop with stock dpdk-simple_mp', function () {
  let bin: string;
  let prefix: string;
  before(function () {
    this.timeout(120_000);
    bin = stockBinary('simple_mp');
  });
  beforeEach(() => (prefix = uniquePrefix('interop')));
  afterEach(() => removePrefixFiles(prefix));

  const stockArgs = (type: string, lcores: string) => [`--lcores=${lcores}`, '--no-pci', '--file-prefix', prefix, `--proc-type=${type}`];

  it('mpsh primary with stock secondary, both directions', async () => {
    const pri = await started(mpsh('mpsh primary', ['--file-prefix', prefix]));
    const sec = await started(stock('stock secondary', bin, stockArgs('secondary', '0@0,1@1')));
    pri.write('send to_stock with spaces');
    // Stock's send takes one token; what arrives is what mpsh sent, whole.
    assert.equal((await sec.waitFor(/core 1: Received '(.*)'/))[1], 'to_stock with spaces');
    sec.write('send to_mpsh');
    assert.equal((await pri.waitFor(/Received '(.*)'/))[1], 'to_mpsh');
    sec.write('quit');
    await sec.waitExit();
    assert.match(await pri.command('pools'), /MSG_POOL: 0 in use/);
  });

  it('stock primary with mpsh secondary, both directions', async () => {
    const pri = await started(stock('stock primary', bin, stockArgs('primary', '0@0,1@1')));
    const sec = await started(mpsh('mpsh secondary', ['--file-prefix', prefix]));
    pri.write('send to_mpsh');
    assert.equal((await sec.waitFor(/Received '(.*)'/))[1], 'to_mpsh');
    sec.write('send back to stock');
    assert.equal((await pri.waitFor(/core 1: Received '(.*)'/))[1], 'back to stock');
    sec.write('quit');
    assert.deepEqual(await sec.waitExit(), { code: 0, signal: null });
    pri.write('quit');
    await pri.waitExit();
  });

  it('starts as a monitor in a prefix whose primary is not simple_mp', async () => {
    const sym = stockBinary('symmetric_mp');
    const pri = stock('stock symmetric_mp', sym, [
      '--lcores=0@0',
      '--no-pci',
      '--file-prefix',
      prefix,
      '--proc-type=primary',
      '--vdev=net_null0',
      '--vdev=net_null1',
      '--',
      '-p',
      '3',
      '--num-procs',
      '1',
      '--proc-id',
      '0',
    ]);
    await pri.waitFor(/Finished Process Init|Lcore 0 using ports|RX/, 20_000);
    const mon = await started(mpsh('monitor', ['--file-prefix', prefix]));
    assert.match(mon.out, /monitor mode: .*not a simple_mp primary/);
    assert.match(await mon.command('send hi'), /cannot send: .*PRI_2_SEC/);
    mon.write('quit');
    assert.deepEqual(await mon.waitExit(), { code: 0, signal: null });
    pri.signal('SIGINT');
    await pri.waitExit();
  });
});
