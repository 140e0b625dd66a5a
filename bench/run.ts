/**
 * `npm run bench`: runs each benchmark module in turn (never two at once:
 * they compete for the same few CPUs), prints one aligned table per module on
 * stdout, then a final `BENCH_JSON {...}` line with every figure for scripts.
 * Progress goes to stderr so stdout holds only results.
 */
import { formatTable, toJson, type Benchmark, type BenchResult } from './report.js';
import { signalAll } from './shellProcess.js';
import { simpleMpBenchmark } from './simpleMp.js';

const benchmarks: Benchmark[] = [simpleMpBenchmark];

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
  return 0;
}

process.exitCode = await main();
