/**
 * The stock DPDK samples to compare against, built at bench time from the
 * sources dpdk-doc installs, in a temporary directory, so the comparison is
 * always with the DPDK on this machine and nothing built lands in the repo.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { onHardExit } from './children.js';

const EXAMPLES = '/usr/share/dpdk/examples/multi_process';

export type StockSample = 'simple_mp' | 'symmetric_mp';

export interface StockBuild {
  /** Path of the built binary. */
  binary: string;
  /** Removes the temporary directory; safe to call more than once. */
  dispose(): void;
}

/** Builds one sample of examples/multi_process with its own Makefile (`build/<sample>`). */
export function buildStockSample(sample: StockSample): StockBuild {
  if (!fs.existsSync(path.join(EXAMPLES, sample, 'main.c'))) {
    throw new Error(`stock sources missing in ${EXAMPLES}: install dpdk-doc (npm run setup does)`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpsh-bench-stock-'));
  const remove = () => fs.rmSync(dir, { recursive: true, force: true });
  // A hard exit (second Ctrl-C) skips the callers' finally blocks.
  const removeHook = onHardExit(remove);
  const dispose = () => {
    remove();
    removeHook();
  };
  try {
    // The whole multi_process tree, as the samples' Makefiles expect to sit in it.
    fs.cpSync(EXAMPLES, dir, { recursive: true });
    const sampleDir = path.join(dir, sample);
    const r = spawnSync('make', ['-C', sampleDir], { encoding: 'utf8' });
    if (r.error) throw new Error(`cannot run make: ${r.error.message}`);
    if (r.status !== 0) {
      throw new Error(`building stock ${sample} failed (exit ${r.status ?? r.signal}):\n${(r.stdout + r.stderr).slice(-2000)}`);
    }
    const binary = path.join(sampleDir, 'build', sample);
    if (!fs.existsSync(binary)) throw new Error(`make succeeded but ${binary} is missing`);
    return { binary, dispose };
  } catch (err) {
    dispose();
    throw err;
  }
}

export function buildStockSimpleMp(): StockBuild {
  return buildStockSample('simple_mp');
}

export function buildStockSymmetricMp(): StockBuild {
  return buildStockSample('symmetric_mp');
}
