/**
 * app_quit: how long Debian's dpdk-testpmd takes to `quit` with an mpsh
 * shell and exporter attached, against testpmd alone ("stock" column).
 * testpmd's quit sends every secondary an exit notice and waits up to 5 s
 * for each reply; mpsh replies at once, so the target is within 0.2 s of
 * testpmd alone. Runs alternate (alone, attached, ...) so a busy machine
 * weighs on both sides alike.
 */
import { benchPrefix, removePrefixFiles } from '../harness/prefix.js';
import { mpsh, sleep, stopAll, type Proc } from '../harness/proc.js';
import { ONE_NULL_PORT, quitTestpmd, scrape, startTestpmd } from '../harness/testpmd.js';
import { median, type Benchmark, type BenchResult } from './report.js';

const RUNS = 3;
const log = (msg: string) => process.stderr.write(`bench app_quit: ${msg}\n`);

async function once(attached: boolean): Promise<number> {
  const prefix = benchPrefix(`appquit-${attached ? 'mpsh' : 'alone'}`);
  const port = 21_000 + Math.floor(Math.random() * 20_000);
  const monitors: Proc[] = [];
  try {
    const app = await startTestpmd(prefix, ONE_NULL_PORT);
    if (attached) {
      const sh = mpsh('shell', ['--file-prefix', prefix, '--proc-type=secondary']);
      await sh.waitFor(/simple_mp > /, 30_000);
      monitors.push(sh, mpsh('exporter', ['exporter', '--file-prefix', prefix, '--', '--listen', `127.0.0.1:${port}`]));
      while ((await scrape(port)).status !== 200) await sleep(200);
    }
    return (await quitTestpmd(app)) / 1000;
  } finally {
    await stopAll();
    removePrefixFiles(prefix);
  }
}

export const appQuitBenchmark: Benchmark = {
  name: 'app_quit',
  async run(): Promise<BenchResult> {
    const alone: number[] = [];
    const attached: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      alone.push(await once(false));
      attached.push(await once(true));
      log(`run ${i + 1}: alone ${alone.at(-1)!.toFixed(2)} s, with mpsh ${attached.at(-1)!.toFixed(2)} s`);
    }
    return {
      name: 'app_quit',
      title: "dpdk-testpmd's quit: with an mpsh shell and exporter attached (mpsh) vs testpmd alone (stock)",
      metrics: [{ key: 'quit_s_median', label: 'quit to exit, median (s)', mpsh: median(attached), stock: median(alone), decimals: 2 }],
      notes: [`${RUNS} alternating runs each; testpmd waits up to 5 s per secondary that does not reply`],
    };
  },
};
