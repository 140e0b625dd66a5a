/**
 * A role process's threads beside its lcore loop (Node's main thread, V8's
 * helpers, EAL's service threads) float over every CPU, the loop's too:
 * whatever they run preempts the loop. Once started, they must run nothing.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { adopt, mpsh, removePrefixFiles, sleep, uniquePrefix } from '../../harness/proc.js';
import { NODE_FLAGS } from '../../src/core/os/nodeFlags.js';

/** CPU time (ns) of each of pid's threads that is not an lcore loop, by thread id. */
function besideLoops(pid: number): Map<string, { name: string; ns: number }> {
  const out = new Map<string, { name: string; ns: number }>();
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    const name = fs.readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
    if (name.startsWith('rte-worker')) continue;
    out.set(tid, { name, ns: Number(fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]) });
  }
  return out;
}

describe('role processes: nothing but the loop once started', function () {
  let prefix: string;
  beforeEach(() => (prefix = uniquePrefix('quiet')));
  afterEach(() => removePrefixFiles(prefix));

  it('server and client a shell spawned run no JavaScript, garbage collection included, in their first 10 s', async function () {
    this.timeout(60_000);
    const sh = mpsh('shell', ['--file-prefix', prefix]);
    await sh.waitFor(/simple_mp > /, 20_000);
    const out = await sh.command('spawn server --clients 1 --start-clients');
    const pids = [...out.matchAll(/(server|client0) \(pid (\d+)\)/g)].map((m) => Number(m[2]));
    pids.forEach(adopt);
    assert.equal(pids.length, 2, out);
    for (const pid of pids) {
      const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      assert.deepEqual(argv.slice(1, 1 + NODE_FLAGS.length), [...NODE_FLAGS], 'started with mpsh Node flags');
    }
    // V8's memory reducer, the flags' reason, used to collect 4-8 s after
    // start-up: 10-20 ms of these threads' time on the loops' CPUs.
    await sleep(1500);
    const before = pids.map(besideLoops);
    await sleep(8500);
    pids.forEach((pid, i) => {
      const ran = [...besideLoops(pid)].map(([tid, t]) => ({ ...t, ms: (t.ns - (before[i]!.get(tid)?.ns ?? 0)) / 1e6 }));
      const total = ran.reduce((a, t) => a + t.ms, 0);
      const busiest = ran.filter((t) => t.ms > 0.1).map((t) => `${t.name} ${t.ms.toFixed(1)} ms`);
      assert.ok(total < 3, `pid ${pid}: ${total.toFixed(1)} ms beside the loop (${busiest.join(', ')})`);
    });
  });
});
