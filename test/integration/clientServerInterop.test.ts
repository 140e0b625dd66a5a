/**
 * Mixed client-server groups with the stock dpdk-mp_server / dpdk-mp_client,
 * watched from an mpsh shell attached as a secondary; and bad arguments.
 */
import assert from 'node:assert/strict';
import { mpsh, removePrefixFiles, sleep, stock, uniquePrefix, type Proc } from '../../harness/proc.js';
import { proc, statsOf, statsUntil, type ProcessJson } from '../helpers/stats.js';
import { stockBinary } from '../../harness/stock.js';
import { stockServer } from '../../harness/stockGroup.js';

const num = (p: ProcessJson, k: string) => p[k] as number;

async function monitor(prefix: string): Promise<Proc> {
  const m = mpsh('monitor shell', ['--file-prefix', prefix, '--proc-type=secondary']);
  await m.waitFor(/simple_mp > /, 20_000);
  return m;
}

async function txGrows(m: Proc, name: string): Promise<void> {
  const before = num(proc(await statsOf(m), name), 'tx');
  await sleep(300);
  await statsUntil(m, (s) => num(proc(s, name), 'tx') > before, 5000, `${name} tx growing`);
}

/**
 * SIGKILL for a stock client, never while it is inside a pool operation.
 * Stock clients free into the pool's ring themselves; one killed between
 * reserving ring slots and publishing them freezes every other producer
 * (stock's own hazard, which `pools` reports). What is tested here is the
 * server skipping a dead client, so the kill lands outside: stop the
 * process, and kill it only if `pools` finds no ring operation left
 * half-done; else let it finish and try again.
 */
async function killOutsidePoolOp(victim: Proc, m: Proc): Promise<void> {
  for (let i = 0; i < 50; i++) {
    victim.signal('SIGSTOP');
    if (!/half-done/.test(await m.command('pools'))) {
      victim.signal('SIGKILL');
      await victim.waitExit();
      return;
    }
    victim.signal('SIGCONT');
    await sleep(20);
  }
  throw new Error(`${victim.name} was inside a pool operation at each of 50 stops`);
}

describe('client-server: mixed groups with the stock samples', function () {
  let client: string;
  let prefix: string;
  before(function () {
    this.timeout(180_000);
    stockBinary('client_server_mp/mp_server'); // built before the first test's clock starts
    client = stockBinary('client_server_mp/mp_client');
  });
  beforeEach(() => (prefix = uniquePrefix('csmix')));
  afterEach(() => removePrefixFiles(prefix));

  it('stock mp_server with mpsh clients; a shell shows their counters; a client exits cleanly on SIGINT', async () => {
    const srv = await stockServer(prefix, 2);
    const c0 = mpsh('mpsh client0', ['client', '--file-prefix', prefix, '--', '-n', '0']);
    const c1 = mpsh('mpsh client1', ['client', '--file-prefix', prefix, '--', '-n', '1']);
    await c0.waitFor(/Finished Process Init/, 20_000);
    await c1.waitFor(/Finished Process Init/, 20_000);
    const m = await monitor(prefix);
    await txGrows(m, 'client0');
    await txGrows(m, 'client1');
    const s = await statsOf(m);
    assert.equal(proc(s, 'server').state, 'running (stock)');
    assert.ok(proc(s, 'server').ports.every((p) => p.rx > 0));
    assert.equal(proc(s, 'client0').rx, null, 'a stock server keeps per-client rx private');
    assert.match(await m.command('pools'), /client rings: 2 of size 128 \(127 packets each\)/);
    c0.signal('SIGINT');
    assert.deepEqual(await c0.waitExit(), { code: 0, signal: null });
    assert.match(c0.out, /Client 0: rx [1-9]\d*\nPort 0: tx \d+, tx_drop \d+\nPort 1: tx \d+, tx_drop \d+/);
    await txGrows(m, 'client1');
    srv.signal('SIGKILL');
  });

  it('mpsh server with stock clients: rings of the size asked for, forwarding, and a killed stock client is skipped once its ring stalls', async () => {
    // Stock clients look their rings up by name: any size the server chose works for them.
    const srv = mpsh('mpsh server', ['server', '--file-prefix', prefix, '--', '-p', '3', '-n', '2', '--ring-size', '256']);
    await srv.waitFor(/Finished Process Init/, 20_000);
    assert.match(srv.out, /Created mbuf pool 'MProc_pktmbuf_pool' \[\d+ mbufs\], ports 0, 1, 2 client rings of 256/);
    const c0 = stock('stock client0', client, ['--lcores=1@1', '--proc-type=secondary', '--file-prefix', prefix, '--', '-n', '0']);
    const c1 = stock('stock client1', client, ['--lcores=2@0', '--proc-type=secondary', '--file-prefix', prefix, '--', '-n', '1']);
    await c0.waitFor(/handling packets/, 20_000);
    await c1.waitFor(/handling packets/, 20_000);
    const m = await monitor(prefix);
    await txGrows(m, 'client0');
    await txGrows(m, 'client1');
    assert.equal(proc(await statsOf(m), 'client1').state, 'running (stock)');
    assert.match(await m.command('pools'), /client rings: 2 of size 256 \(255 packets each\)/);
    await killOutsidePoolOp(c1, m);
    await sleep(500);
    const a = await statsOf(m);
    assert.equal(proc(a, 'client1').skipped, true);
    await sleep(500);
    const b = await statsOf(m);
    assert.equal(
      num(proc(b, 'client1'), 'rx_drop'),
      num(proc(a, 'client1'), 'rx_drop'),
      `no more drops for the dead client (then: ${JSON.stringify(proc(a, 'client1'))}, now: ${JSON.stringify(proc(b, 'client1'))})`,
    );
    await txGrows(m, 'client0');
    // The server first: a stock client killed now could die inside a pool
    // operation and leave the server's last puts waiting for it.
    srv.signal('SIGTERM');
    assert.equal((await srv.waitExit()).code, 0, `${srv.out}\n${srv.err}`);
    assert.match(srv.out, /Port 0: rx [1-9]\d*[\s\S]*Client 0: rx [1-9]\d*, rx_drop \d+/);
    c0.signal('SIGKILL');
  });
});

describe('client-server: bad arguments', function () {
  let prefix: string;
  beforeEach(() => (prefix = uniquePrefix('csargs')));
  afterEach(() => removePrefixFiles(prefix));

  async function refused(p: Proc, re: RegExp): Promise<void> {
    assert.equal((await p.waitExit(20_000)).code, 1, p.err);
    const lines = p.err.split('\n').filter((l) => l.startsWith('mpsh:'));
    assert.equal(lines.length, 1, p.err);
    assert.match(lines[0]!, re);
    assert.doesNotMatch(p.out, /Finished Process Init/);
  }
  const server = (app: string[]) => mpsh('server', ['server', '--file-prefix', prefix, '--', ...app]);
  const client = (app: string[]) => mpsh('client', ['client', '--file-prefix', prefix, '--', ...app]);

  it('server: zero or too many clients, a port mask without ports, missing -n', async () => {
    await refused(server(['-p', '3', '-n', '0']), /-n 0: the number of clients must be 1 \.\. 16/);
    await refused(server(['-p', '3', '-n', '17']), /-n 17: the number of clients must be 1 \.\. 16/);
    await refused(server(['-p', '3']), /missing -n <num-clients>/);
    await refused(server(['-p', '4', '-n', '2']), /port mask 0x4 selects port 2, but this process has ports 0, 1/);
    await refused(server(['-p', '0', '-n', '2']), /port mask 0 selects no port/);
  });

  it('--ring-size: anything but a power of two from 64 to 16384 is refused in one line; a client has none; a secondary server cannot change it', async () => {
    const rule = 'the client ring size must be a power of two from 64 to 16384';
    await refused(server(['-p', '3', '-n', '2', '--ring-size', '100']), new RegExp(`^mpsh: --ring-size 100: ${rule}, e\\.g\\. 64 or 128 \\(`));
    await refused(server(['-p', '3', '-n', '2', '--ring-size', '0']), new RegExp(`^mpsh: --ring-size 0: ${rule}; 64 is the smallest`));
    await refused(server(['-p', '3', '-n', '2', '--ring-size', 'x']), new RegExp(`^mpsh: --ring-size x: ${rule} \\(`));
    await refused(server(['-p', '3', '-n', '2', '--ring-size', '65536']), new RegExp(`^mpsh: --ring-size 65536: ${rule}; 16384 is the largest`));
    await refused(server(['-p', '3', '-n', '2', '--ring-size']), /^mpsh: --ring-size needs a power of two from 64 to 16384, e\.g\. --ring-size 2048$/);
    const srv = server(['-p', '3', '-n', '2', '--ring-size', '64']);
    await srv.waitFor(/Finished Process Init/, 20_000);
    await refused(client(['-n', '0', '--ring-size', '64']), /^mpsh: --ring-size is the server's choice/);
    // A second server of the prefix is a secondary: the rings are the primary's (checked before it would be refused as a second server).
    await refused(
      server(['-p', '3', '-n', '2', '--ring-size', '128']),
      /^mpsh: --ring-size 128 does not match this prefix's client rings of 64 \(the primary made them\): leave it out$/,
    );
    srv.signal('SIGTERM');
    assert.equal((await srv.waitExit()).code, 0);
  });

  it('client: missing server, id not below the client count, a primary that is no server', async () => {
    await refused(client(['-n', '0']), /no primary process is running for file prefix/);
    const srv = server(['-p', '3', '-n', '2']);
    await srv.waitFor(/Finished Process Init/, 20_000);
    await refused(client(['-n', '2']), /client id 2 is not below the server's 2 clients/);
    await refused(client(['-n', 'x']), /-n needs a whole number, not 'x'/);
    await refused(client([]), /missing -n <client-id>/);
    srv.signal('SIGTERM');
    await srv.waitExit();
    const other = mpsh('simple_mp primary', ['--file-prefix', prefix]);
    await other.waitFor(/simple_mp > /, 20_000);
    await refused(client(['-n', '0']), /no client-server group in file prefix '.*' \(MProc_port_info MProc_pktmbuf_pool missing\)/);
  });

  it('spawn refuses bad client-server requests, one line each', async () => {
    const sh = mpsh('shell', ['--file-prefix', prefix]);
    await sh.waitFor(/simple_mp > /, 20_000);
    assert.match(await sh.command('spawn server'), /^spawn: spawn server needs --clients <N>, the number of clients \(1 \.\. 16\)/);
    assert.match(await sh.command('spawn server --clients 0'), /--clients must be 1 \.\. 16/);
    assert.match(await sh.command('spawn server 2'), /give the number of clients as --clients 2/);
    assert.match(await sh.command('spawn client 0'), /no client-server group: spawn server --clients <N> first/);
    assert.match(await sh.command('spawn server --clients 2 --portmask 8'), /port mask 0x8 selects port 3/);
    for (const v of ['100', '0', 'x', '65536']) {
      assert.match(
        await sh.command(`spawn server --clients 2 --ring-size ${v}`),
        new RegExp(`^spawn: --ring-size ${v}: the client ring size must be a power of two from 64 to 16384[^\\n]*$`),
      );
    }
    assert.match(
      await sh.command('spawn server --clients 2 --ring-size'),
      /^spawn: --ring-size needs a power of two from 64 to 16384, e\.g\. --ring-size 2048$/,
    );
    assert.match(await sh.command('ps'), /^no processes/);
  });
});
