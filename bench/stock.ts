/**
 * The stock DPDK sample to compare against, built at bench time from the
 * sources dpdk-doc installs, in a temporary directory, so the comparison is
 * always with the DPDK on this machine and nothing built lands in the repo.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const EXAMPLES = '/usr/share/dpdk/examples/multi_process';

export interface StockBuild {
  /** Path of the built simple_mp binary. */
  binary: string;
  /** Removes the temporary directory; safe to call more than once. */
  dispose(): void;
}

export function buildStockSimpleMp(): StockBuild {
  if (!fs.existsSync(path.join(EXAMPLES, 'simple_mp', 'main.c'))) {
    throw new Error(`stock sources missing in ${EXAMPLES}: install dpdk-doc (npm run setup does)`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpsh-bench-stock-'));
  const dispose = () => fs.rmSync(dir, { recursive: true, force: true });
  try {
    // The whole multi_process tree, as the sample's Makefile expects to sit in it.
    fs.cpSync(EXAMPLES, dir, { recursive: true });
    const sampleDir = path.join(dir, 'simple_mp');
    const r = spawnSync('make', ['-C', sampleDir], { encoding: 'utf8' });
    if (r.error) throw new Error(`cannot run make: ${r.error.message}`);
    if (r.status !== 0) {
      throw new Error(`building stock simple_mp failed (exit ${r.status ?? r.signal}):\n${(r.stdout + r.stderr).slice(-2000)}`);
    }
    const binary = path.join(sampleDir, 'build', 'simple_mp');
    if (!fs.existsSync(binary)) throw new Error(`make succeeded but ${binary} is missing`);
    return { binary, dispose };
  } catch (err) {
    dispose();
    throw err;
  }
}
