/**
 * capture: what a running capture costs a symmetric worker (net_null, one
 * worker, through an mpsh shell in line mode): the forwarding rate over
 * windows without a capture, with `capture sym0 ... --direction both`
 * running, and without again (so a drift of the machine shows), read from
 * `stats --json`. Stock has no capture, so its column is empty; the cost of
 * the hook when no capture runs is in the symmetric_mp module's mpsh/stock
 * ratio (the hook is one load of a shared flag per burst).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchPrefix, removePrefixFiles } from '../harness/prefix.js';
import type { Benchmark, BenchResult } from './report.js';
import { LineShell, sleep } from './lineShell.js';

const WINDOW_MS = 3_000;
const log = (msg: string) => process.stderr.write(`bench capture: ${msg}\n`);

async function measure(): Promise<BenchResult> {
  const prefix = benchPrefix('capture');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpsh-bench-cap-'));
  removePrefixFiles(prefix);
  const sh = new LineShell(prefix, WINDOW_MS);
  try {
    await sh.until(/simple_mp > /);
    sh.write('spawn symmetric 1');
    await sh.until(/forwarding on ports/);
    await sleep(1_000);
    log('without capture');
    const before = await sh.rate();
    log('while capturing');
    sh.write(`capture sym0 ${path.join(dir, 'x.pcapng')} --duration ${(WINDOW_MS * 2) / 1000}`);
    await sh.until(/capturing sym0/);
    await sleep(500);
    const during = await sh.rate();
    const done = await sh.until(/captured (\d+) packets to \S+(?: \((\d+) copies dropped)?/, WINDOW_MS * 3);
    log('without capture, again');
    const after = await sh.rate();
    const base = (before + after) / 2;
    return {
      name: 'capture',
      title: `capture: a symmetric worker's forwarding while its packets are captured (${os.availableParallelism()} CPUs, one run)`,
      metrics: [
        { key: 'forwarding_without_mpps', label: 'forwarding, no capture (Mpps, mean of before and after)', mpsh: base, stock: NaN, decimals: 1 },
        { key: 'forwarding_capturing_mpps', label: 'forwarding while capturing rx and tx (Mpps)', mpsh: during, stock: NaN, decimals: 1 },
        { key: 'capture_cost_pct', label: 'cost of capturing (% of the rate)', mpsh: (1 - during / base) * 100, stock: NaN, decimals: 1 },
      ],
      notes: [
        `net_null ports 0 and 1, 1 worker, shell in line mode; windows of ${WINDOW_MS / 1000} s: before ${before.toFixed(1)}, during ${during.toFixed(1)}, after ${after.toFixed(1)} Mpps`,
        `the capture wrote ${done[1]} packets in ${(WINDOW_MS * 2) / 1000} s and the worker dropped ${done[2] ?? 0} copies (ring full: the shell drains it every 20 ms; net_null offers far more than a file can take)`,
        `1-minute load average at the start: ${os.loadavg()[0]!.toFixed(2)}`,
      ],
    };
  } finally {
    await sh.quit();
    removePrefixFiles(prefix);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const captureBenchmark: Benchmark = { name: 'capture', run: measure };
