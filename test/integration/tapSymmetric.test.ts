/**
 * Real traffic through symmetric workers: Linux ping and iperf3 between two
 * network namespaces whose only link is mpsh forwarding between two tap ports.
 */
import assert from 'node:assert/strict';
import { adopt, mpsh, removePrefixFiles, uniquePrefix, type Proc } from '../helpers/proc.js';
import { port, proc, statsOf, type StatsJson } from '../helpers/stats.js';
import { TapPair } from '../helpers/tap.js';

async function shell(prefix: string, tap: TapPair): Promise<Proc> {
  const p = mpsh('shell', ['--file-prefix', prefix, ...tap.vdevs()]);
  await p.waitFor(/simple_mp > /, 20_000);
  return p;
}

const adoptAll = (out: string) => [...out.matchAll(/\(pid (\d+)\)/g)].forEach((m) => adopt(Number(m[1])));
const total = (s: StatsJson, p: number, k: 'rx' | 'tx') => port({ ports: s.ports }, p)[k];

describe('symmetric workers: ping and iperf3 across tap ports', function () {
  let prefix: string;
  let tap: TapPair;
  beforeEach(() => {
    prefix = uniquePrefix('symtap');
    tap = new TapPair();
  });
  afterEach(() => {
    tap.cleanup();
    removePrefixFiles(prefix);
  });

  for (const workers of [1, 2]) {
    it(`${workers} worker${workers > 1 ? 's' : ''}: every echo is answered and the port counters hold exactly the echoes`, async () => {
      const sh = await shell(prefix, tap);
      adoptAll(await sh.command(`spawn symmetric ${workers}`));
      await tap.moveIntoNamespaces();
      const before = await statsOf(sh);
      const r = await tap.ping(20);
      assert.equal(r.received, 20, r.output);
      const after = await statsOf(sh);
      // Requests enter on port 0 and leave on port 1; replies the other way.
      for (const [p, k] of [[0, 'rx'], [1, 'tx'], [1, 'rx'], [0, 'tx']] as const) {
        assert.equal(total(after, p, k) - total(before, p, k), 20, `port ${p} ${k}`);
      }
      const perWorker = (n: string, s: StatsJson) => port(proc(s, n), 0).rx;
      const names = Array.from({ length: workers }, (_, i) => `sym${i}`);
      assert.equal(names.reduce((a, n) => a + perWorker(n, after) - perWorker(n, before), 0), 20, 'the workers account for every request');
    });
  }
});
