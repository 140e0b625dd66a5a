/** Any app's view on a fake addon: rates, xstat names kept, exact 64-bit JSON, monotonic and bounded metrics. */
import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { AppReader, type AppAddon } from '../../src/core/observe/app/appReader.js';
import { jsonWithBigInts } from '../../src/core/observe/app/json.js';
import { Monotonic, XSTATS_PER_PORT, xstatLabel } from '../../src/core/observe/app/appMetrics.js';
import { appPanelLines } from '../../src/core/observe/app/panelLines.js';
import { groupRegistry } from '../../src/core/observe/metrics.js';
import { statsJson } from '../../src/core/observe/stats/json.js';
import { GroupSampler } from '../../src/core/observe/stats/sampler.js';
import { RateHistory } from '../../src/core/observe/stats/history.js';
import type { EthStats } from '../../src/core/dpdk/observeTypes.js';

const BIG = 2n ** 60n + 7n;

function stats(ipackets: bigint): EthStats {
  const z = 0n;
  return {
    ipackets,
    opackets: ipackets,
    ibytes: BIG,
    obytes: z,
    imissed: 3n,
    ierrors: z,
    oerrors: z,
    rxNombuf: z,
    qIpackets: [ipackets],
    qIbytes: [z],
    qErrors: [z],
    qOpackets: [ipackets],
    qObytes: [z],
  };
}

/** One net_null port whose counters the test sets, with `xstats` xstats. */
function fakeAddon(xstats = 3) {
  const state = { rx: 0n, nameReads: 0, xstats };
  const addon: AppAddon = {
    ethPortNames: () => [{ port: 0, name: 'net_null0' }],
    ethStats: () => stats(state.rx),
    ethXstatNames: () => (state.nameReads++, Array.from({ length: state.xstats }, (_, i) => `rx_q${i}-weird.name`)),
    ethXstats: () => BigUint64Array.from({ length: state.xstats }, (_, i) => BigInt(i) + state.rx),
    ethInfo: () => ({
      port: 0,
      name: 'net_null0',
      driver: 'net_null',
      rxQueues: 1,
      txQueues: 1,
      maxRxQueues: 1024,
      maxTxQueues: 1024,
      socket: 0,
      link: { up: true, fullDuplex: true, autoneg: false },
    }),
    mempoolList: () => [
      { name: 'mb_pool_0', size: 100, eltSize: 2304, cacheSize: 0, socket: 0, inUse: 10, available: 90, ops: 'ring_mp_mc', opsVerified: true, lcoreCaches: [] },
    ],
    ringList: () => [{ name: 'MP_mb_pool_0', size: 128, capacity: 127, count: 90, free: 37, flags: 0 }],
    memzoneList: () => [],
  };
  return { addon, state };
}

function sampler(addon: AppAddon) {
  // No runtime directory there: the prefix has no processes to list (nothing is created).
  const dir = path.join(os.tmpdir(), `mpsh-anyapp-none-${process.pid}`);
  const reader = new AppReader(dir, () => addon);
  return new GroupSampler(null, { symmetric: () => null, clientServer: () => null, app: (rate, exclude) => reader.read(rate, exclude) });
}

describe('any app: the view of a prefix whose primary is not mpsh', () => {
  it('gives per-second rates and reads xstat names again only when their number changes', () => {
    const { addon, state } = fakeAddon();
    const s = sampler(addon);
    s.sample(1_000);
    state.rx = 1_000_000n;
    const g = s.sample(2_000);
    const p = g.app!.ports[0]!;
    assert.equal(p.rxPps, 1_000_000);
    assert.equal(p.xstats[2]!.value, 1_000_002n);
    assert.equal(state.nameReads, 1);
    state.xstats = 5;
    assert.equal(s.sample(3_000).app!.ports[0]!.xstats.length, 5);
    assert.equal(state.nameReads, 2);
  });

  it('stats --json prints 64-bit counters exactly, not rounded through a double', () => {
    const { addon } = fakeAddon();
    const text = statsJson(sampler(addon).sample(1_000));
    assert.match(text, new RegExp(`"ibytes":${BIG}`));
    assert.match(text, /"pools":\[\{"name":"mb_pool_0","size":100,"in_use":10/);
    assert.equal(jsonWithBigInts({ a: 1n, b: 'x', c: [2n ** 64n - 1n] }), '{"a":1,"b":"x","c":[18446744073709551615]}');
  });

  it('exported totals never go back, and xstats are capped per port with sanitized names', async () => {
    const m = new Monotonic();
    assert.deepEqual([m.value('k', 10n), m.value('k', 15n), m.value('k', 2n), m.value('k', 4n)], [10, 15, 17, 19]);
    assert.equal(xstatLabel('Rx-Q0.Bytes'), 'rx_q0_bytes');
    const { addon, state } = fakeAddon(XSTATS_PER_PORT + 50);
    const s = sampler(addon);
    const reg = groupRegistry(() => s.sample());
    state.rx = 100n;
    const first = await reg.metrics();
    assert.equal(first.split('\n').filter((l) => l.startsWith('mpsh_ethdev_xstat{')).length, XSTATS_PER_PORT);
    assert.match(first, /mpsh_ethdev_rx_packets_total\{port="0",name="net_null0"\} 100\n/);
    await new Promise((r) => setTimeout(r, 120)); // past the scrape's shared snapshot
    state.rx = 40n; // the app reset its stats
    assert.match(await reg.metrics(), /mpsh_ethdev_rx_packets_total\{port="0",name="net_null0"\} 140\n/);
  });

  it('the panel draws a line per port with its history, within the width', () => {
    const { addon, state } = fakeAddon();
    const s = sampler(addon);
    const h = new RateHistory();
    for (let t = 1; t <= 8; t++) {
      state.rx = BigInt(t * t * 1_000_000);
      h.record(s.sample(t * 1_000));
    }
    const lines = appPanelLines(s.sample(9_000), h, 80);
    assert.match(lines[0]!.text, /^PORT +RX +TX +RX\/s +TX\/s +LOST RX\/s, last 60 s/);
    assert.match(lines[1]!.text, /^0 net_null0 +64\.0M +64\.0M .*[▂▃▄▅▆▇█]/);
    for (const l of lines) assert.ok(l.text.length <= 80, l.text);
  });
});
