/**
 * burst: a burst of BURST packets into two idle clients, under each idle
 * policy, with the default client ring size and with stock's (128). The
 * shell creates the group on net_pcap ports, the clients start and go idle,
 * then the server starts and reads the whole file as fast as it can into the
 * clients' rings (round robin, so 1,000 packets each; a ring of the default
 * 2048 holds 2047, one of 128 holds 127): what a client does not take in
 * time is dropped at its ring (rx_drop). The target is that sleeping clients
 * lose no more than polling ones. Stock is not in it: its server is the
 * primary and reads the file before any client exists.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { udpPacket, writePcap } from '../harness/pcap.js';
import { benchPrefix, removePrefixFiles } from '../harness/prefix.js';
import { LineShell, sleep } from './lineShell.js';
import type { Benchmark, BenchResult, Metric } from './report.js';

const BURST = 2000;
const POLICIES = ['poll', 'adaptive', 'interrupt'] as const;
/** The default ring size (no option), then stock's. */
const RINGS = [undefined, 128] as const;
const log = (msg: string) => process.stderr.write(`bench burst: ${msg}\n`);

interface Row {
  name: string;
  client?: number;
  rx?: number;
  rx_drop?: number;
  ports?: { rx?: number }[];
  no_client_drop?: number;
}

interface Outcome {
  drops: number;
  handed: number;
  noClient: number;
  /** The client rings' size, as `pools` reports it. */
  ringSize: number;
}

async function burstInto(policy: string, ring: number | undefined, dir: string): Promise<Outcome> {
  const prefix = benchPrefix(`burst-${policy}-${ring ?? 'default'}`);
  removePrefixFiles(prefix);
  // Short relative names: a pcap secondary re-reads its devargs from a 64-character copy.
  const sink = 'tx_pcap=/dev/null,tx_pcap=/dev/null';
  const eal = [`--vdev=net_pcap0,rx_pcap=b,${sink}`, `--vdev=net_pcap1,rx_pcap=e,${sink}`];
  const sh = new LineShell(prefix, 0, eal, dir);
  try {
    await sh.until(/simple_mp > /);
    sh.write(`spawn server --clients 2 --start-clients --idle ${policy}${ring ? ` --ring-size ${ring}` : ''}`);
    await sh.until(/serving 2 clients/, 30_000);
    sh.write('pools');
    const ringSize = Number((await sh.until(/client rings: \d+ of size (\d+)/))[1]);
    const deadline = Date.now() + 20_000;
    for (;;) {
      const s = await sh.stats<{ processes: Row[] }>();
      const clients = s.processes.filter((p) => p.client !== undefined);
      const handed = clients.reduce((n, c) => n + (c.rx ?? 0) + (c.rx_drop ?? 0), 0);
      const server = s.processes.find((p) => p.name === 'server');
      const noClient = server?.no_client_drop ?? 0;
      if (handed + noClient >= BURST || Date.now() > deadline) {
        return { drops: clients.reduce((n, c) => n + (c.rx_drop ?? 0), 0), handed, noClient, ringSize };
      }
      await sleep(100);
    }
  } finally {
    await sh.quit();
    removePrefixFiles(prefix);
  }
}

async function measure(): Promise<BenchResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpsh-bench-burst-'));
  try {
    writePcap(
      path.join(dir, 'b'),
      Array.from({ length: BURST }, (_, i) => udpPacket(1, i)),
    );
    writePcap(path.join(dir, 'e'), []);
    const results = new Map<string, Outcome>();
    const key = (p: string, ring: number | undefined) => `${p}${ring ? `_ring${ring}` : ''}`;
    for (const ring of RINGS) {
      for (const p of POLICIES) {
        log(`--idle ${p}${ring ? ` --ring-size ${ring}` : ''}`);
        results.set(key(p, ring), await burstInto(p, ring, dir));
      }
    }
    const runs = RINGS.flatMap((ring) => POLICIES.map((p) => ({ p, ring, r: results.get(key(p, ring))! })));
    const metrics: Metric[] = runs.map(({ p, ring, r }) => ({
      key: `burst_loss_${key(p, ring)}_pct`,
      label: `burst of ${BURST} into 2 idle clients, rings of ${r.ringSize}, lost at the rings, --idle ${p} (%)`,
      mpsh: (r.drops / BURST) * 100,
      stock: NaN,
      decimals: 1,
    }));
    return {
      name: 'burst',
      title: `burst: ${BURST} packets at once into idle clients, per idle policy and ring size (${os.availableParallelism()} CPUs, one run)`,
      metrics,
      notes: [
        ...runs.map(
          ({ p, r }) =>
            `--idle ${p}, rings of ${r.ringSize}: ${r.handed} handed to clients, ${r.drops} dropped at full rings (${r.ringSize - 1} each), ${r.noClient} with no live client`,
        ),
        'net_pcap ports; the shell is the primary; the clients start first and go idle, then the server reads the file as fast as it can',
        `1-minute load average at the end: ${os.loadavg()[0]!.toFixed(2)}`,
      ],
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const burstBenchmark: Benchmark = { name: 'burst', run: measure };
