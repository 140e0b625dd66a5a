/**
 * `npm run bench`: runs each benchmark module in turn (never two at once:
 * they compete for the same few CPUs), prints one aligned table per module on
 * stdout, then a final `BENCH_JSON {...}` line with every figure for scripts.
 * With BENCH_JSON=<file> in the environment the whole run is also written to
 * that file (bench/results/<date>-<time>.json is where runs are kept).
 * Module names as arguments run only those (`node dist/bench/run.js symmetric_mp`).
 * Progress goes to stderr so stdout holds only results.
 */
import fs from 'node:fs';
import { formatTable, toJson, toRecord, type Benchmark, type BenchResult } from './report.js';
import { signalAll } from '../harness/children.js';
import { simpleMpBenchmark } from './simpleMp.js';
import { clientServerBenchmark } from './clientServer.js';
import { symmetricBenchmark } from './symmetric.js';
import { tapBenchmark } from './tap.js';
import { captureBenchmark } from './capture.js';
import { burstBenchmark } from './burst.js';
import { appQuitBenchmark } from './appQuit.js';
import { anyAppBenchmark } from './anyApp.js';

const all: Benchmark[] = [
  simpleMpBenchmark,
  symmetricBenchmark,
  clientServerBenchmark,
  captureBenchmark,
  tapBenchmark,
  burstBenchmark,
  appQuitBenchmark,
  anyAppBenchmark,
];
// `node dist/bench/run.js symmetric_mp` runs only the named modules; no names, all of them.
const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !all.some((b) => b.name === w));
if (unknown.length > 0) {
  process.stderr.write(`bench: unknown module ${unknown.join(', ')}: one of ${all.map((b) => b.name).join(', ')}\n`);
  process.exit(2);
}
const benchmarks = wanted.length > 0 ? all.filter((b) => wanted.includes(b.name)) : all;

let interrupted = false;

// First SIGINT/SIGTERM: stop the children; the waits on them then fail and
// each module's cleanup (prefix files, temp build) runs as on any error.
// A second one gives up on cleanup and exits at once (the exit hook kills children).
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    process.stderr.write(`bench: ${sig}, stopping\n`);
    signalAll('SIGTERM');
  });
}

async function main(): Promise<number> {
  const started = new Date();
  const results: BenchResult[] = [];
  for (const b of benchmarks) {
    try {
      const result = await b.run();
      results.push(result);
      process.stdout.write(`${formatTable(result)}\n`);
    } catch (err) {
      // After a signal the failure is only the children having been stopped: say so, not the symptom.
      const why = interrupted ? 'interrupted' : err instanceof Error ? err.message : String(err);
      process.stderr.write(`bench ${b.name} failed: ${why}\n`);
      return interrupted ? 130 : 1;
    }
  }
  process.stdout.write(`BENCH_JSON ${JSON.stringify(toJson(results))}\n`);
  const file = process.env.BENCH_JSON;
  if (file) {
    const command = `npm run bench${wanted.length > 0 ? ` -- ${wanted.join(' ')}` : ''}`;
    fs.writeFileSync(file, `${JSON.stringify(toRecord(results, started, new Date(), command), null, 2)}\n`);
    process.stderr.write(`bench: run written to ${file}\n`);
  }
  return 0;
}

process.exitCode = await main();
