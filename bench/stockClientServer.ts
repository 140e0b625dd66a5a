/**
 * The stock client_server_mp sample (mp_server + mp_client), built at bench
 * time from the sources dpdk-doc installs, in a temporary directory, as
 * stock.ts does for the single-binary samples: the comparison is always with
 * the DPDK on this machine, and nothing built lands in the repository.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { onHardExit } from './children.js';

const EXAMPLES = '/usr/share/dpdk/examples/multi_process';
const SAMPLE = 'client_server_mp';

export interface StockClientServerBuild {
  server: string;
  client: string;
  /** Removes the temporary directory; safe to call more than once. */
  dispose(): void;
}

/** Builds mp_server and mp_client with their own Makefiles (`<app>/build/<app>`). */
export function buildStockClientServer(): StockClientServerBuild {
  for (const app of ['mp_server', 'mp_client']) {
    if (!fs.existsSync(path.join(EXAMPLES, SAMPLE, app, 'Makefile'))) {
      throw new Error(`stock sources missing in ${EXAMPLES}/${SAMPLE}: install dpdk-doc (npm run setup does)`);
    }
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpsh-bench-stock-cs-'));
  const remove = () => fs.rmSync(dir, { recursive: true, force: true });
  // A hard exit (second Ctrl-C) skips the callers' finally blocks.
  const removeHook = onHardExit(remove);
  const dispose = () => {
    remove();
    removeHook();
  };
  try {
    // The whole multi_process tree: the Makefiles reach ../shared.
    fs.cpSync(EXAMPLES, dir, { recursive: true });
    const binaries: string[] = [];
    for (const app of ['mp_server', 'mp_client']) {
      const appDir = path.join(dir, SAMPLE, app);
      const r = spawnSync('make', ['-C', appDir], { encoding: 'utf8' });
      if (r.error) throw new Error(`cannot run make: ${r.error.message}`);
      if (r.status !== 0) {
        throw new Error(`building stock ${app} failed (exit ${r.status ?? r.signal}):\n${(r.stdout + r.stderr).slice(-2000)}`);
      }
      const binary = path.join(appDir, 'build', app);
      if (!fs.existsSync(binary)) throw new Error(`make succeeded but ${binary} is missing`);
      binaries.push(binary);
    }
    return { server: binaries[0], client: binaries[1], dispose };
  } catch (err) {
    dispose();
    throw err;
  }
}
