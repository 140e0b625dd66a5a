/**
 * Hotplug across real processes of a prefix: mpsh shells, the `mpsh hotplug`
 * drop-in, and the stock hotplug_mp sample in both roles. Attach in one
 * process, list in another, detach in a third: every process agrees.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { adopt, mpsh, mpshShell, type Proc, removePrefixFiles, stock, uniquePrefix } from '../../harness/proc.js';
import { holdSocket } from '../helpers/heldSocket.js';
import { untilStopped } from '../helpers/procState.js';
import { stockBinary } from '../../harness/stock.js';
import { statsUntil } from '../helpers/stats.js';

/** One command to a process with the `example> ` prompt (mpsh hotplug or stock); its output without the echo. */
async function ex(p: Proc, line: string, timeoutMs = 15_000): Promise<string> {
  p.write(line);
  const m = await p.waitFor(/([\s\S]*?)example> /, timeoutMs);
  return m[1]!
    .replace(new RegExp(`^${line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n`), '')
    .replace(/^\n/, '')
    .replace(/\n+$/, '');
}

/** Port names from `list` output (stock's `<id>\t<name>` lines, and mpsh's with more columns). */
function names(listing: string): string[] {
  return [...listing.matchAll(/^(\d+)\t(\S+)/gm)].map((m) => `${m[1]} ${m[2]}`);
}

const shell = (name: string, args: string[]) => mpshShell(name, args);

async function example(p: Proc): Promise<Proc> {
  await p.waitFor(/example> /, 20_000);
  return p;
}

describe('hotplug: mpsh shells and the mpsh hotplug drop-in', function () {
  let prefix: string;
  beforeEach(() => (prefix = uniquePrefix('hp')));
  afterEach(() => removePrefixFiles(prefix));

  it('attach in the primary, list in a secondary, detach from the secondary: gone everywhere', async () => {
    const pri = await shell('primary', ['--file-prefix', prefix]);
    const sec = await shell('secondary', ['--file-prefix', prefix]);
    assert.equal(await pri.command('attach net_null5'), 'attached device net_null5');
    assert.deepEqual(names(await sec.command('list')), ['0 net_null0', '1 net_null1', '2 net_null5']);
    assert.match(await sec.command('list'), /^list all etherdev\n0\tnet_null0\t-\tlink (up|down)\n/);
    assert.equal(await sec.command('detach 2'), 'detaching...\ndetached device net_null5');
    assert.deepEqual(names(await pri.command('list')), ['0 net_null0', '1 net_null1']);
    assert.deepEqual(names(await sec.command('list')), ['0 net_null0', '1 net_null1']);
    // The primary learns of a port a secondary attached: one line, and its status follows.
    assert.equal(await sec.command('attach net_ring3'), 'attached device net_ring3');
    await pri.waitFor(/port 2 net_ring3 attached/);
  });

  it('each bad input gets one line and nothing changes', async () => {
    const pri = await shell('primary', ['--file-prefix', prefix]);
    const before = await pri.command('list');
    const cases: [string, RegExp][] = [
      ['attach', /^attach: attach needs devargs, e\.g\. attach net_null2/],
      ['attach net_foo3', /^attach: no bus or driver takes 'net_foo3': name a known driver/],
      [
        'attach net_null6,nosuchkey=1',
        /^attach: attach net_null6 failed: the driver did not take the device \(check the devargs keys and values\); nothing changed$/,
      ],
      ['attach net_null0', /^attach: net_null0 already exists \(port 0\): detach it first/],
      [
        `attach net_null3,${'x'.repeat(120)}`,
        /^attach: devargs too long: 'vdev:net_null3,…' is 135 bytes in the multi-process message, and DPDK 22\.11 cuts it at 127/,
      ],
      [
        `attach net_pcap3,rx_pcap=${'p'.repeat(60)}`,
        /^attach: pcap arguments too long \(68 characters\): the pcap driver in secondaries re-reads them from a 64-byte copy/,
      ],
      ['detach', /^detach: usage: detach \[--force\] <devargs \| port id>/],
      ['detach 7', /^detach: no port 7: list shows the ports$/],
      ['detach net_zzz0', /^detach: no device 'net_zzz0': list shows the ports$/],
      ['detach net_null9', /^detach: no device 'net_null9': list shows the ports$/],
    ];
    for (const [line, want] of cases) {
      const out = await pri.command(line);
      assert.equal(out.split('\n').length, 1, `${line}: one line, got:\n${out}`);
      assert.match(out, want, line);
    }
    assert.equal(await pri.command('list'), before);
    assert.match(pri.err, /^$/, 'EAL said nothing on stderr');
  });

  it('mpsh hotplug: the stock prompt and lines, so stock scripts run unchanged', async () => {
    const hp = await example(mpsh('hotplug', ['hotplug', '--file-prefix', prefix, '--proc-type=primary', '--no-pci', '--vdev=net_null0']));
    assert.equal(await ex(hp, 'list'), 'list all etherdev\n0\tnet_null0\t-\tlink down');
    assert.equal(await ex(hp, 'attach net_null1'), 'attached device net_null1');
    const sec = await shell('shell', ['--file-prefix', prefix]);
    assert.deepEqual(names(await sec.command('list')), ['0 net_null0', '1 net_null1']);
    assert.equal(await ex(hp, 'detach net_null1'), 'detaching...\ndetached device net_null1');
    assert.deepEqual(names(await sec.command('list')), ['0 net_null0']);
    hp.write('quit');
    assert.deepEqual(await hp.waitExit(), { code: 0, signal: null });
  });

  it('a port attached in the shell carries traffic for spawn symmetric; detaching it while polled is refused, --force stops the worker first', async () => {
    const sh = await shell('shell', ['--file-prefix', prefix]);
    assert.equal(await sh.command('attach net_null2'), 'attached device net_null2');
    assert.equal(await sh.command('attach net_null3'), 'attached device net_null3');
    const spawned = await sh.command('spawn symmetric 1 --portmask c');
    for (const m of spawned.matchAll(/sym\d+ \(pid (\d+)\)/g)) adopt(Number(m[1]));
    assert.match(spawned, /forwarding on ports 2, 3: sym0 \(pid \d+\)/);
    // mpsh's counters are on the ports the worker forwards on (the others carry ethdev's view only).
    const counted = (x: { ports: { port: number; rx?: number; tx?: number }[] }) => x.ports.filter((p) => p.rx !== undefined);
    const s = await statsUntil(
      sh,
      (x) => counted(x).length === 2 && counted(x).every((p) => (p.rx ?? 0) > 0 && (p.tx ?? 0) > 0),
      20_000,
      'traffic on ports 2 and 3',
    );
    assert.deepEqual(
      counted(s).map((p) => p.port),
      [2, 3],
    );
    assert.match(await sh.command('list'), /\n2\tnet_null2\tsym0\tlink up\n3\tnet_null3\tsym0\tlink up$/);
    assert.equal(await sh.command('detach net_null2'), 'detach: net_null2 (port 2) is in use by sym0: stop it first, or detach --force');
    assert.deepEqual(names(await sh.command('list')), ['0 net_null0', '1 net_null1', '2 net_null2', '3 net_null3']);
    const forced = await sh.command('detach --force 2', 20_000);
    assert.match(forced, /(^|\n)stopped sym0\n/);
    assert.match(await sh.command('ps'), /\nsym0 +symmetric +\d+ +(exited \(0\)|stopped) /);
    // The worker leaving did not take the prefix's runtime directory (and its sockets) with it.
    assert.ok(fs.existsSync(`/var/run/dpdk/${prefix}/mp_socket`), 'the primary still has its socket');
    assert.match(forced, /\ndetaching\.\.\.\ndetached device net_null2$/);
    assert.deepEqual(names(await sh.command('list')), ['0 net_null0', '1 net_null1', '3 net_null3']);
    // Nobody polls port 3 any more: it goes without --force.
    assert.equal(await sh.command('detach net_null3'), 'detaching...\ndetached device net_null3');
  });

  it('a port the client-server group uses is refused naming server and client; --force stops them, every mbuf back in the pool', async () => {
    const sh = await shell('shell', ['--file-prefix', prefix]);
    const spawned = await sh.command('spawn server --clients 1 --start-clients', 20_000);
    for (const m of spawned.matchAll(/\(pid (\d+)\)/g)) adopt(Number(m[1]));
    await statsUntil(sh, (x) => x.processes.some((p) => p.name === 'client0' && p.ports.some((q) => q.tx > 0)), 20_000, 'client0 forwarding');
    assert.equal(await sh.command('detach net_null0'), 'detach: net_null0 (port 0) is in use by client0, server: stop them first, or detach --force');
    const forced = await sh.command('detach --force net_null0', 20_000);
    assert.match(forced, /(^|\n)stopped server, client0\n/);
    assert.match(forced, /\ndetaching\.\.\.\ndetached device net_null0$/);
    assert.deepEqual(names(await sh.command('list')), ['1 net_null1']);
    assert.match(await sh.command('pools'), /MProc_pktmbuf_pool: 0 in use/);
  });
});

describe('hotplug: interop with the stock hotplug_mp', function () {
  let bin: string;
  let prefix: string;
  before(function () {
    this.timeout(120_000);
    bin = stockBinary('hotplug_mp');
  });
  beforeEach(() => (prefix = uniquePrefix('hpmix')));
  afterEach(() => removePrefixFiles(prefix));

  it('mpsh primary shell, stock secondary: the stock side attaches and detaches cleanly (the reported sequence), and each side sees the other', async () => {
    const pri = await shell('mpsh primary', ['--file-prefix', prefix]);
    const st = await example(stock('stock secondary', bin, ['--lcores=1@1', '--file-prefix', prefix, '--proc-type=secondary', '--no-pci']));
    // An mpsh secondary too: every forwarded request reaches one of each.
    const sec = await shell('mpsh secondary', ['--file-prefix', prefix]);
    assert.match(await ex(st, 'attach net_null7'), /attached device net_null7$/);
    assert.deepEqual(names(await pri.command('list')), ['0 net_null0', '1 net_null1', '2 net_null7']);
    assert.deepEqual(names(await sec.command('list')), ['0 net_null0', '1 net_null1', '2 net_null7']);
    assert.match(await ex(st, 'detach net_null7'), /detaching\.\.\.\n(.*\n)*detached device net_null7$/);
    const listing = await ex(st, 'list');
    assert.doesNotMatch(listing, /empty dev_name/);
    assert.deepEqual(names(listing), ['0 net_null0', '1 net_null1']);
    assert.deepEqual(names(await pri.command('list')), ['0 net_null0', '1 net_null1']);
    assert.deepEqual(names(await sec.command('list')), ['0 net_null0', '1 net_null1']);
    // Attach in mpsh, detach in stock: gone everywhere.
    assert.equal(await pri.command('attach net_null8'), 'attached device net_null8');
    assert.deepEqual(names(await ex(st, 'list')), ['0 net_null0', '1 net_null1', '2 net_null8']);
    assert.match(await ex(st, 'detach net_null8'), /detached device net_null8$/);
    assert.deepEqual(names(await pri.command('list')), ['0 net_null0', '1 net_null1']);
    st.write('quit');
    await st.waitExit();
    // The primary is unharmed and goes on hotplugging.
    assert.equal(await pri.command('attach net_null9'), 'attached device net_null9');
  });

  it("a port the primary kept after a stock secondary's failed attach is named by an mpsh secondary's next failed hotplug", async () => {
    const pri = await shell('mpsh primary', ['--file-prefix', prefix]);
    const st = await example(stock('stock secondary', bin, ['--lcores=1@1', '--file-prefix', prefix, '--proc-type=secondary', '--no-pci']));
    const sec = await shell('mpsh secondary', ['--file-prefix', prefix]);
    // mpsh refuses nodeaction up front; stock does not, and its rollback leaves the port in the primary only.
    await ex(st, 'attach net_ring12,nodeaction=r1:0:CREATE', 40_000);
    const primaryPorts = names(await pri.command('list'));
    const kept = primaryPorts.find((p) => !['0 net_null0', '1 net_null1'].includes(p));
    assert.ok(kept, `the primary kept a port: ${primaryPorts.join(', ')}`);
    assert.deepEqual(names(await sec.command('list')), ['0 net_null0', '1 net_null1'], 'the secondary lacks it');
    // A request that fails in the driver (net_null takes no such argument): the secondary compares with the primary's table.
    const out = await sec.command('attach net_null20,nosuchkey=1', 40_000);
    const [id, name] = kept.split(' ');
    assert.match(out, new RegExp(`the ports already differed before this request: the primary has port ${id} \\(${name}\\), which this process lacks`), out);
    assert.match(out, /Port ids now differ between processes/);
  });

  it('stock primary, mpsh hotplug secondary: attach in one, list and detach in the other', async () => {
    const st = await example(stock('stock primary', bin, ['--lcores=1@0', '--file-prefix', prefix, '--proc-type=primary', '--no-pci', '--vdev=net_null0']));
    const hp = await example(mpsh('mpsh secondary', ['hotplug', '--file-prefix', prefix, '--proc-type=secondary']));
    assert.equal(await ex(hp, 'attach net_null4'), 'attached device net_null4');
    assert.deepEqual(names(await ex(st, 'list')), ['0 net_null0', '1 net_null4']);
    assert.match(await ex(st, 'detach net_null4'), /detached device net_null4$/);
    assert.deepEqual(names(await ex(hp, 'list')), ['0 net_null0']);
    assert.match(await ex(st, 'attach net_null6'), /attached device net_null6$/);
    assert.deepEqual(names(await ex(hp, 'list')), ['0 net_null0', '1 net_null6']);
    assert.equal(await ex(hp, 'detach net_null6'), 'detaching...\ndetached device net_null6');
    const listing = await ex(st, 'list');
    assert.doesNotMatch(listing, /empty dev_name/);
    assert.deepEqual(names(listing), ['0 net_null0']);
  });

  it('a stopped secondary is named before the request, instead of a 5 s wait and a generic failure', async () => {
    const pri = await shell('mpsh primary', ['--file-prefix', prefix]);
    const st = await example(stock('stock secondary', bin, ['--lcores=1@1', '--file-prefix', prefix, '--proc-type=secondary', '--no-pci']));
    st.signal('SIGSTOP');
    await untilStopped(st.pid, true);
    try {
      // Named up front: EAL itself would wait out its 5 s timeout and say only that it failed.
      const out = await pri.command('attach net_null4');
      assert.match(
        out,
        new RegExp(
          `^attach: attach net_null4 refused: secondary pid ${st.pid} \\(hotplug_mp\\) is stopped \\(SIGSTOP or a debugger\\) — EAL would wait 5 s for it and fail; resume or stop it first$`,
        ),
      );
      assert.deepEqual(names(await pri.command('list')), ['0 net_null0', '1 net_null1']);
      assert.match(await pri.command('detach net_null1'), new RegExp(`^detach: detach net_null1 refused: secondary pid ${st.pid} `));
    } finally {
      st.signal('SIGCONT');
    }
    await untilStopped(st.pid, false);
    assert.equal(await pri.command('attach net_null4'), 'attached device net_null4');
    assert.deepEqual(names(await ex(st, 'list')), ['0 net_null0', '1 net_null1', '2 net_null4']);
  });

  it('a secondary that is gone while another process holds its socket is named; a socket nobody holds is no obstacle', async () => {
    const pri = await shell('mpsh primary', ['--file-prefix', prefix]);
    const gone = spawnSync('true').pid!;
    const socket = `/var/run/dpdk/${prefix}/mp_socket_${gone}_5eed`;
    const holder = await holdSocket(socket);
    const out = await pri.command('attach net_null4');
    assert.equal(
      out,
      `attach: attach net_null4 refused: secondary pid ${gone} is gone but pid ${holder.pid} (held_socket) still holds its socket mp_socket_${gone}_5eed open — EAL would wait 5 s for it and fail; resume or stop it first`,
    );
    assert.deepEqual(names(await pri.command('list')), ['0 net_null0', '1 net_null1']);
    await holder.stop();
    // The file is still there, bound by nobody: EAL's send fails at once and the primary removes it.
    assert.equal(await pri.command('attach net_null4'), 'attached device net_null4');
  });
});
