/**
 * Mixed symmetric groups: a stock dpdk-symmetric_mp primary with an mpsh
 * secondary, and an mpsh primary with a stock secondary. Each side forwards,
 * and one leaving does not stop the other.
 */
import assert from 'node:assert/strict';
import { mpsh, removePrefixFiles, sleep, stock, uniquePrefix } from '../../harness/proc.js';
import { stockBinary } from '../../harness/stock.js';

const PORT_LINE = /Port (\d+): RX - (\d+), TX - (\d+), Drop - (\d+)/g;

function portTotals(out: string): { rx: number; tx: number } {
  let rx = 0;
  let tx = 0;
  for (const m of out.matchAll(PORT_LINE)) {
    rx += Number(m[2]);
    tx += Number(m[3]);
  }
  return { rx, tx };
}

describe('symmetric: mixed groups with stock dpdk-symmetric_mp', function () {
  let bin: string;
  let prefix: string;
  before(function () {
    this.timeout(120_000);
    bin = stockBinary('symmetric_mp');
  });
  beforeEach(() => (prefix = uniquePrefix('symmix')));
  afterEach(() => removePrefixFiles(prefix));
  const app = (id: number) => ['--', '-p', '3', '--num-procs', '2', '--proc-id', String(id)];

  it('stock primary with an mpsh secondary', async () => {
    const pri = stock('stock primary', bin, [
      '--lcores=1@0',
      '--file-prefix',
      prefix,
      '--proc-type=primary',
      '--no-pci',
      '--vdev=net_null0',
      '--vdev=net_null1',
      ...app(0),
    ]);
    await pri.waitFor(/Finished Process Init/, 20_000, 'err');
    const sec = mpsh('mpsh secondary', ['symmetric', '--file-prefix', prefix, '--proc-type=secondary', ...app(1)]);
    await sec.waitFor(/lcore \d+ using queue 1 of each port[\s\S]*Finished Process Init/, 20_000);
    await sleep(1000);
    sec.signal('SIGINT');
    assert.equal((await sec.waitExit()).code, 0);
    const mine = portTotals(sec.out);
    assert.ok(mine.rx > 0 && mine.tx > 0, sec.out);
    // The stock primary is still up and forwarding after the mpsh secondary's EAL cleanup.
    await sleep(300);
    assert.equal(pri.exit, null);
    pri.signal('SIGINT');
    await pri.waitExit();
    const theirs = portTotals(pri.out);
    assert.ok(theirs.rx > 0 && theirs.tx > 0, pri.out);
  });

  it('mpsh primary with a stock secondary', async () => {
    const pri = mpsh('mpsh primary', ['symmetric', '--file-prefix', prefix, '--proc-type=primary', ...app(0)]);
    await pri.waitFor(/Finished Process Init/, 20_000);
    const sec = stock('stock secondary', bin, ['--lcores=1@1', '--file-prefix', prefix, '--proc-type=secondary', ...app(1)]);
    await sec.waitFor(/lcore 1 using queue 1 of each port/, 20_000);
    await sleep(1000);
    sec.signal('SIGINT');
    await sec.waitExit();
    const theirs = portTotals(sec.out);
    assert.ok(theirs.rx > 0 && theirs.tx > 0, sec.out);
    pri.signal('SIGTERM');
    assert.equal((await pri.waitExit()).code, 0);
    assert.match(pri.out, /Exiting on signal 15/);
    const mine = portTotals(pri.out);
    assert.ok(mine.rx > 0 && mine.tx > 0, pri.out);
  });
});
