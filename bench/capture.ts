/**
 * capture: what a running capture costs a symmetric worker (net_null, one
 * worker, through an mpsh shell in line mode): the forwarding rate over
 * windows without a capture, with `capture sym0 ... --direction both`
 * running, and without again (so a drift of the machine shows), read from
 * `stats --json`. Stock has no capture, so its column is empty; the cost of
 * the hook when no capture runs is in the symmetric_mp module's mpsh/stock
 * ratio (the hook is one load of a shared flag per burst).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchPrefix, removePrefixFiles } from './prefix.js';
import type { Benchmark, BenchResult } from './report.js';
import { MPSH_BIN, ROOT } from './repo.js';

const WINDOW_MS = 3_000;
const log = (msg: string) => process.stderr.write(`bench capture: ${msg}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class LineShell {
  private out = '';
  private readonly child;
  constructor(prefix: string) {
    this.child = spawn(process.execPath, [MPSH_BIN, '--file-prefix', prefix, '--', '--line'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.setEncoding('utf8').on('data', (d: string) => (this.out += d));
  }
  async until(re: RegExp, ms = 20_000): Promise<RegExpExecArray> {
    const deadline = Date.now() + ms;
    for (;;) {
      const m = re.exec(this.out);
      if (m) {
        this.out = this.out.slice(m.index + m[0].length);
        return m;
      }
      if (Date.now() > deadline) throw new Error(`shell: no ${re} within ${ms} ms; output: ${this.out.slice(-500)}`);
      await sleep(20);
    }
  }
  write(line: string): void {
    this.child.stdin.write(`${line}\n`);
  }
  /** Packets sym0 forwarded so far, and when. */
  async forwarded(): Promise<{ t: number; tx: number }> {
    this.write('stats --json');
    const m = await this.until(/(\{"processes".*\})\n/);
    const s = JSON.parse(m[1]!) as { ports: { tx: number }[] };
    return { t: Date.now(), tx: s.ports.reduce((n, p) => n + p.tx, 0) };
  }
  async rate(): Promise<number> {
    const a = await this.forwarded();
    await sleep(WINDOW_MS);
    const b = await this.forwarded();
    return (b.tx - a.tx) / ((b.t - a.t) / 1000) / 1e6;
  }
  async quit(): Promise<void> {
    this.write('quit');
    this.child.stdin.end();
    await new Promise<void>((r) => {
      const t = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
      this.child.on('exit', () => {
        clearTimeout(t);
        r();
      });
    });
  }
}

async function measure(): Promise<BenchResult> {
  const prefix = benchPrefix('capture');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpsh-bench-cap-'));
  removePrefixFiles(prefix);
  const sh = new LineShell(prefix);
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
