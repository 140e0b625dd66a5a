/**
 * Mixed groups on tap ports: a stock primary with an mpsh secondary, and
 * the other way round, carry Linux ping between two namespaces. The client
 * is the only forwarder, so every answered echo crossed both programs.
 */
import assert from 'node:assert/strict';
import { mpsh, removePrefixFiles, stock, uniquePrefix } from '../../harness/proc.js';
import { stockBinary } from '../../harness/stock.js';
import { TapPair } from '../../harness/tap.js';

describe('client-server on tap ports: mixed with the stock samples', function () {
  let server: string;
  let client: string;
  let prefix: string;
  let tap: TapPair;
  before(function () {
    this.timeout(180_000);
    server = stockBinary('client_server_mp/mp_server');
    client = stockBinary('client_server_mp/mp_client');
  });
  beforeEach(() => {
    prefix = uniquePrefix('taptmix');
    tap = new TapPair();
  });
  afterEach(() => {
    tap.cleanup();
    removePrefixFiles(prefix);
  });

  it('stock mp_server (primary) with an mpsh client: every echo is answered, and the client counts them', async () => {
    const srv = stock('stock server', server, ['--lcores=1@0', '--no-pci', ...tap.vdevs(), '--file-prefix', prefix, '--', '-p', '3', '-n', '1']);
    await srv.waitFor(/Finished Process Init/, 20_000, 'err');
    await tap.moveIntoNamespaces();
    const c0 = mpsh('mpsh client0', ['client', '--file-prefix', prefix, '--', '-n', '0']);
    await c0.waitFor(/Finished Process Init/, 20_000);
    const r = await tap.ping(10);
    assert.equal(r.received, 10, r.output);
    c0.signal('SIGINT');
    assert.deepEqual(await c0.waitExit(), { code: 0, signal: null });
    const m = /Client 0: rx (\d+)\nPort 0: tx (\d+), tx_drop 0\nPort 1: tx (\d+), tx_drop 0/.exec(c0.out);
    assert.ok(m, c0.out);
    // Counted since the ports started: the echoes, and the kernel's chatter before the move.
    const [rx, tx0, tx1] = [Number(m[1]), Number(m[2]), Number(m[3])];
    assert.equal(rx, tx0 + tx1, 'everything taken was sent');
    assert.ok(tx0 >= 10 && tx1 >= 10, 'requests out of port 1, replies out of port 0');
    srv.signal('SIGINT');
  });

  it('mpsh server (primary) with a stock mp_client: every echo is answered, and the server counts them', async () => {
    // Strict round robin: on a loaded machine a stock client (no heartbeat of its own) descheduled for
    // 50 ms would be skipped as gone; this test is about the two programs exchanging packets.
    const srv = mpsh('mpsh server', ['server', '--file-prefix', prefix, ...tap.vdevs(), '--', '-p', '3', '-n', '1', '--strict-round-robin']);
    await srv.waitFor(/Finished Process Init/, 20_000);
    await tap.moveIntoNamespaces();
    const c0 = stock('stock client0', client, ['--lcores=1@1', '--proc-type=secondary', '--file-prefix', prefix, '--', '-n', '0']);
    await c0.waitFor(/handling packets/, 20_000);
    const r = await tap.ping(10);
    assert.equal(r.received, 10, `${r.output}\nserver:\n${srv.out}${srv.err}\nclient:\n${c0.out}${c0.err}`);
    c0.signal('SIGINT');
    await c0.waitExit();
    srv.signal('SIGINT');
    assert.equal((await srv.waitExit()).code, 0);
    const m = /Port 0: rx (\d+)\nPort 1: rx (\d+)\nClient 0: rx (\d+), rx_drop 0/.exec(srv.out);
    assert.ok(m, srv.out);
    const [rx0, rx1, client0] = [Number(m[1]), Number(m[2]), Number(m[3])];
    assert.ok(rx0 >= 10 && rx1 >= 10, 'requests in on port 0, replies in on port 1');
    assert.equal(client0, rx0 + rx1, 'everything read went to the client');
  });
});
