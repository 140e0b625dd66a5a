/**
 * any_app: what an attached mpsh shell costs the app it watches. testpmd
 * forwards in io mode between two net_null ports (its forwarding lcore on
 * CPU 1); windows without and with an mpsh shell attached as a secondary
 * (sampling every port's ethdev stats and xstats, every mempool, ring,
 * memzone and process at 4 Hz) alternate, so a drift of the machine hits
 * both sides alike. The rate is testpmd's own Tx-pps over each window
 * (`show port stats all` averages since its previous call).
 */
import os from 'node:os';
import { benchPrefix, removePrefixFiles } from '../harness/prefix.js';
import { startTestpmd, testpmdCommand } from '../harness/testpmd.js';
import type { Benchmark, BenchResult } from './report.js';
import { LineShell, sleep } from './lineShell.js';

const WINDOW_MS = 3_000;
const PAIRS = 3;
const log = (msg: string) => process.stderr.write(`bench any_app: ${msg}\n`);

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

async function measure(): Promise<BenchResult> {
  const prefix = benchPrefix('anyapp');
  removePrefixFiles(prefix);
  const testpmd = await startTestpmd(prefix, { extra: ['--forward-mode=io'] });
  /** testpmd's forwarding rate over one window (Mpps summed over both ports' Tx-pps). */
  const window = async () => {
    await testpmdCommand(testpmd, 'show port stats all');
    await sleep(WINDOW_MS);
    const out = await testpmdCommand(testpmd, 'show port stats all');
    return [...out.matchAll(/Tx-pps:\s+(\d+)/g)].reduce((a, m) => a + Number(m[1]), 0) / 1e6;
  };
  const without: number[] = [];
  const withShell: number[] = [];
  try {
    await testpmdCommand(testpmd, 'start');
    await sleep(1_000);
    for (let i = 0; i < PAIRS; i++) {
      log(`pair ${i + 1}/${PAIRS}: without mpsh`);
      without.push(await window());
      log(`pair ${i + 1}/${PAIRS}: with an mpsh shell attached`);
      const sh = new LineShell(prefix, WINDOW_MS, ['--proc-type=secondary']);
      try {
        await sh.until(/simple_mp > /);
        await sleep(1_000); // past its start-up: only the 4 Hz sampling remains
        withShell.push(await window());
      } finally {
        await sh.quit();
      }
    }
    await testpmdCommand(testpmd, 'stop');
  } finally {
    await testpmd.stop();
    removePrefixFiles(prefix);
  }
  const a = mean(without);
  const b = mean(withShell);
  return {
    name: 'any_app',
    title: `any_app: testpmd io forwarding on net_null with and without an mpsh shell attached (${os.availableParallelism()} CPUs)`,
    metrics: [{ key: 'testpmd_forwarding_mpps', label: 'testpmd forwarding, mean (Mpps; mpsh: shell attached, stock: alone)', mpsh: b, stock: a, decimals: 2 }],
    notes: [
      `${PAIRS} alternated pairs of ${WINDOW_MS / 1000} s windows: alone ${without.map((x) => x.toFixed(2)).join(', ')}; attached ${withShell.map((x) => x.toFixed(2)).join(', ')} Mpps`,
      'the shell samples every 250 ms: ethdev stats and xstats of both ports, the mempool, ring and memzone walks, /proc of the processes',
      `1-minute load average at the end: ${os.loadavg()[0]!.toFixed(2)} (the machine is shared: compare the pairs, not the absolute rate)`,
    ],
  };
}

export const anyAppBenchmark: Benchmark = { name: 'any_app', run: measure };
