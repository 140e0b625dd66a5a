/**
 * The stock DPDK samples to compare and interoperate with, built from the
 * sources dpdk-doc installs, in a temporary directory, so they are always
 * built against the DPDK on this machine and nothing built lands in the repo.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { onHardExit } from './children.js';

const EXAMPLES = '/usr/share/dpdk/examples/multi_process';

/** A directory of examples/multi_process whose Makefile builds one program, `build/<its last part>`. */
export type StockApp = 'simple_mp' | 'symmetric_mp' | 'client_server_mp/mp_server' | 'client_server_mp/mp_client' | 'hotplug_mp';

export interface StockBuild<A extends StockApp> {
  /** Path of the built binary of one of the apps asked for. */
  binary(app: A): string;
  /** Removes the temporary directory; safe to call more than once. */
  dispose(): void;
}

/** Builds each app with its own Makefile, all in one copy of the multi_process tree. */
export function buildStock<A extends StockApp>(apps: readonly A[]): StockBuild<A> {
  for (const app of apps) {
    if (!fs.existsSync(path.join(EXAMPLES, app, 'Makefile'))) {
      throw new Error(`stock sources missing in ${path.join(EXAMPLES, app)}: install dpdk-doc (npm run setup does)`);
    }
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpsh-stock-'));
  const remove = () => fs.rmSync(dir, { recursive: true, force: true });
  // A hard exit (second Ctrl-C) skips the callers' finally blocks.
  const removeHook = onHardExit(remove);
  const dispose = () => {
    remove();
    removeHook();
  };
  try {
    // The whole multi_process tree, as the samples' Makefiles expect to sit in it (client_server_mp's reach ../shared).
    fs.cpSync(EXAMPLES, dir, { recursive: true });
    const binaries = new Map<A, string>();
    for (const app of apps) {
      const appDir = path.join(dir, app);
      const name = path.basename(app);
      const r = spawnSync('make', ['-C', appDir], { encoding: 'utf8' });
      if (r.error) throw new Error(`cannot run make: ${r.error.message}`);
      if (r.status !== 0) {
        throw new Error(`building stock ${name} failed (exit ${r.status ?? r.signal}):\n${(r.stdout + r.stderr).slice(-2000)}`);
      }
      const binary = path.join(appDir, 'build', name);
      if (!fs.existsSync(binary)) throw new Error(`make succeeded but ${binary} is missing`);
      binaries.set(app, binary);
    }
    const binary = (app: A): string => {
      const b = binaries.get(app);
      if (b === undefined) throw new Error(`stock ${app} was not built`);
      return b;
    };
    return { binary, dispose };
  } catch (err) {
    dispose();
    throw err;
  }
}

const builds = new Map<StockApp, StockBuild<StockApp>>();

/** One app's binary, built on first use and kept (removed when this process exits). */
export function stockBinary(app: StockApp): string {
  let build = builds.get(app);
  if (!build) {
    build = buildStock([app]); // removed at exit by its own hard-exit hook
    builds.set(app, build);
  }
  return build.binary(app);
}

/** A standalone example of /usr/share/dpdk/examples (not multi-process): the apps users run as primaries mpsh watches. */
export type StandaloneExample = 'l2fwd' | 'skeleton';

const standalone = new Map<StandaloneExample, string>();

/** The example's binary (`build/<APP>` of its Makefile), built once in a temporary copy removed when this process exits. */
export function standaloneExampleBinary(example: StandaloneExample): string {
  const known = standalone.get(example);
  if (known) return known;
  const src = path.join(path.dirname(EXAMPLES), example);
  if (!fs.existsSync(path.join(src, 'Makefile'))) throw new Error(`stock sources missing in ${src}: install dpdk-doc (npm run setup does)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `mpsh-stock-${example}-`));
  onHardExit(() => fs.rmSync(dir, { recursive: true, force: true }));
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  fs.cpSync(src, dir, { recursive: true });
  const r = spawnSync('make', ['-C', dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`building stock ${example} failed (exit ${r.status ?? r.signal}):\n${(r.stdout + r.stderr).slice(-2000)}`);
  const app = /^APP\s*=\s*(\S+)/m.exec(fs.readFileSync(path.join(dir, 'Makefile'), 'utf8'))?.[1] ?? example;
  const binary = path.join(dir, 'build', app);
  if (!fs.existsSync(binary)) throw new Error(`make succeeded but ${binary} is missing`);
  standalone.set(example, binary);
  return binary;
}
