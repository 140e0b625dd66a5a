/**
 * Stock DPDK samples built from Debian's dpdk-doc sources in a temporary
 * directory, once per test run (never committed).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const EXAMPLES = '/usr/share/dpdk/examples/multi_process';
let dir: string | undefined;
const built = new Map<string, string>();

export type StockSample = 'simple_mp' | 'symmetric_mp' | 'mp_server' | 'mp_client' | 'hotplug_mp';

const SUBDIR: Record<StockSample, string> = {
  simple_mp: 'simple_mp',
  symmetric_mp: 'symmetric_mp',
  mp_server: 'client_server_mp/mp_server',
  mp_client: 'client_server_mp/mp_client',
  hotplug_mp: 'hotplug_mp',
};

export function stockBinary(sample: StockSample): string {
  const cached = built.get(sample);
  if (cached) return cached;
  if (!dir) {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpsh-stock-'));
    fs.cpSync(EXAMPLES, dir, { recursive: true });
    process.on('exit', () => fs.rmSync(dir!, { recursive: true, force: true }));
  }
  const sub = path.join(dir, SUBDIR[sample]);
  execFileSync('make', ['-s', '-j2'], { cwd: sub, stdio: ['ignore', 'ignore', 'inherit'] });
  const bin = path.join(sub, 'build', sample);
  built.set(sample, bin);
  return bin;
}
