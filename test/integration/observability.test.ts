/**
 * Every process observable by standard tools: DPDK's own telemetry client
 * on the /mpsh commands, Prometheus (promtool and a real server scraping
 * the shell), and `mpsh exporter` next to a group of stock processes.
 * Packet capture has its own file (capture.test.ts).
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { adoptPidsIn, mpsh, mpshShell, Proc, removePrefixFiles, sleep, uniquePrefix } from '../../harness/proc.js';
import { freePort, scrape, value } from '../helpers/metrics.js';
import { proc, statsUntil } from '../helpers/stats.js';
import { telemetry } from '../helpers/telemetry.js';
import { udpPacket, writePcap } from '../../harness/pcap.js';
import { stockClient, stockServer } from '../../harness/stockGroup.js';

const shell = (args: string[], cwd?: string) => mpshShell('shell', args, { cwd });
const adoptAll = adoptPidsIn;

describe('observability: DPDK telemetry', function () {
  let prefix: string;
  beforeEach(() => (prefix = uniquePrefix('tel')));
  afterEach(() => removePrefixFiles(prefix));

  it('dpdk-telemetry.py sees every process of the prefix through the /mpsh commands', async () => {
    const sh = await shell(['--file-prefix', prefix]);
    adoptAll(await sh.command('spawn server --clients 2 --start-clients'));
    const s = await statsUntil(sh, (x) => (proc(x, 'client0').tx as number) > 0, 10_000, 'client0 forwarding');
    assert.deepEqual(telemetry(prefix, '/mpsh/processes'), ['server', 'client0', 'client1']);
    const c0 = telemetry(prefix, '/mpsh/process,client0') as Record<string, unknown>;
    assert.equal(c0.role, 'client');
    assert.equal(c0.pid, proc(s, 'client0').pid);
    assert.equal(c0.state, 'running');
    assert.ok((c0.tx as number) >= (proc(s, 'client0').tx as number), 'the live counter, read later');
    assert.ok((c0.port0 as Record<string, number>).tx > 0, 'per-port detail, one level deep');
    for (const k of ['rx', 'rx_drop', 'tx', 'tx_drop']) assert.equal(typeof c0[k], 'number', k);
    const server = telemetry(prefix, '/mpsh/process,server') as Record<string, unknown>;
    assert.equal(server.role, 'server');
    assert.ok((server.rx as number) > 0);
    const ports = telemetry(prefix, '/mpsh/ports') as Record<string, Record<string, number>>;
    assert.deepEqual(Object.keys(ports), ['port0', 'port1']);
    assert.ok(ports.port0!.rx > 0 && ports.port0!.tx > 0);
    assert.equal(telemetry(prefix, '/mpsh/process,nobody'), null, 'an unknown name gets nothing');
    assert.match(JSON.stringify(telemetry(prefix, '/help,/mpsh/process')), /Parameters: string name/);
  });
});

describe('observability: Prometheus', function () {
  let prefix: string;
  let dir: string;
  beforeEach(() => {
    prefix = uniquePrefix('prom');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpsh-prom-'));
  });
  afterEach(() => {
    removePrefixFiles(prefix);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('/metrics passes promtool, listens only where told, and matches stats --json', async () => {
    // Finite input: once it is all forwarded the counters stand still, so the two readings must agree exactly.
    writePcap(
      path.join(dir, 'a'),
      Array.from({ length: 300 }, (_, i) => udpPacket(1, i)),
    );
    writePcap(
      path.join(dir, 'b'),
      Array.from({ length: 200 }, (_, i) => udpPacket(2, i)),
    );
    const port = await freePort();
    const sh = await shell(
      [
        '--file-prefix',
        prefix,
        '--vdev=net_pcap0,rx_pcap=a,tx_pcap=/dev/null',
        '--vdev=net_pcap1,rx_pcap=b,tx_pcap=/dev/null',
        '--',
        '--metrics',
        `127.0.0.1:${port}`,
      ],
      dir,
    );
    adoptAll(await sh.command('spawn symmetric 1'));
    const s = await statsUntil(sh, (x) => x.ports.reduce((n, p) => n + p.tx + p.drop, 0) >= 500, 10_000, 'all 500 forwarded');
    const text = await scrape(port);
    const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    assert.equal(check.status, 0, `promtool: ${check.stdout}${check.stderr}`);
    for (const p of proc(s, 'sym0').ports) {
      const labels = { process: 'sym0', role: 'symmetric', proc_id: '0', port: String(p.port) };
      assert.equal(value(text, 'mpsh_process_rx_packets_total', labels), p.rx, `rx of port ${p.port}`);
      assert.equal(value(text, 'mpsh_process_tx_packets_total', labels), p.tx, `tx of port ${p.port}`);
    }
    for (const p of s.ports) assert.equal(value(text, 'mpsh_port_rx_packets_total', { port: String(p.port) }), p.rx);
    assert.equal(value(text, 'mpsh_process_up', { process: 'sym0', role: 'symmetric', proc_id: '0' }), 1);
    const listening = execFileSync('ss', ['-Hltn', `sport = :${port}`], { encoding: 'utf8' });
    // Local address column of every listening socket on that port: only the one asked for.
    const local = listening
      .trim()
      .split('\n')
      .map((l) => l.trim().split(/\s+/)[3]);
    assert.deepEqual(local, [`127.0.0.1:${port}`]);
    assert.equal((await fetch(`http://127.0.0.1:${port}/other`)).status, 404);
  });

  it("a real Prometheus server scrapes the shell; a query returns a client's tx rate", async function () {
    this.timeout(90_000);
    const port = await freePort();
    const promPort = await freePort();
    const sh = await shell(['--file-prefix', prefix, '--', '--metrics', `127.0.0.1:${port}`]);
    adoptAll(await sh.command('spawn server --clients 2 --start-clients'));
    fs.writeFileSync(
      path.join(dir, 'prometheus.yml'),
      `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: mpsh\n    static_configs:\n      - targets: ['127.0.0.1:${port}']\n`,
    );
    const prom = new Proc('prometheus', 'prometheus', [
      `--config.file=${path.join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
    ]);
    try {
      const query = encodeURIComponent('sum(rate(mpsh_process_tx_packets_total{process="client0"}[5s]))');
      const deadline = Date.now() + 60_000;
      let rate = 0;
      while (Date.now() < deadline && !(rate > 0)) {
        await sleep(1000);
        try {
          const res = await fetch(`http://127.0.0.1:${promPort}/api/v1/query?query=${query}`);
          const body = (await res.json()) as { data?: { result?: { value: [number, string] }[] } };
          rate = Number(body.data?.result?.[0]?.value[1] ?? 0);
        } catch {
          // not up yet
        }
      }
      assert.ok(rate > 0, `Prometheus reports client0's tx rate (${rate}/s)`);
    } finally {
      prom.signal('SIGTERM');
      await prom.waitExit(10_000).catch(() => prom.signal('SIGKILL'));
    }
  });

  it('bad and busy addresses get one clear line; the exporter needs --listen', async () => {
    const bad = mpsh('bad', ['--file-prefix', prefix, '--', '--metrics', 'nowhere']);
    assert.equal((await bad.waitExit(20_000)).code, 1);
    assert.match(bad.err, /^mpsh: --metrics 'nowhere' is not <host>:<port> \(e\.g\. 127\.0\.0\.1:9464\)\n$/);
    const blocker = net.createServer();
    const port = await new Promise<number>((r) => blocker.listen(0, '127.0.0.1', () => r((blocker.address() as net.AddressInfo).port)));
    try {
      const busy = mpsh('busy', ['--file-prefix', prefix, '--', '--metrics', `127.0.0.1:${port}`]);
      assert.equal((await busy.waitExit(20_000)).code, 1);
      assert.match(busy.err, new RegExp(`mpsh: cannot serve metrics on 127\\.0\\.0\\.1:${port}: the address is in use: pick another port\\n$`));
      assert.equal(busy.err.trim().split('\n').length, 1);
    } finally {
      blocker.close();
    }
    const noListen = mpsh('exporter', ['exporter', '--file-prefix', prefix]);
    assert.equal((await noListen.waitExit(20_000)).code, 1);
    assert.match(noListen.err, /mpsh exporter needs --listen <host:port>/);
  });

  it('mpsh exporter serves the counters of a group of stock processes', async function () {
    this.timeout(180_000);
    const srv = await stockServer(prefix, 1);
    const c0 = await stockClient(prefix, 0);
    const port = await freePort();
    const exp = mpsh('exporter', ['exporter', '--file-prefix', prefix, '--', '--listen', `127.0.0.1:${port}`]);
    await exp.waitFor(/serving metrics of file prefix .* on http:\/\/127\.0\.0\.1:\d+\/metrics/, 20_000);
    const tx = async () => {
      const text = await scrape(port);
      return [0, 1].reduce(
        (n, p) => n + (value(text, 'mpsh_process_tx_packets_total', { process: 'client0', role: 'client', client: '0', port: String(p) }) ?? 0),
        0,
      );
    };
    const first = await tx();
    await sleep(500);
    assert.ok((await tx()) > first, "the stock client's tx, from port_info, grows");
    exp.signal('SIGTERM');
    assert.equal((await exp.waitExit()).code, 0);
    srv.signal('SIGKILL');
    c0.signal('SIGKILL');
  });
});
