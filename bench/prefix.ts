/**
 * DPDK file prefixes for benchmark runs, and removal of what a run leaves:
 * the runtime directory /var/run/dpdk/<prefix> and the hugepage files
 * <prefix>map_* on every hugetlbfs mount. EAL keeps both after exit, and left
 * behind they hold hugepages that later runs and tests need.
 */
import fs from 'node:fs';
import path from 'node:path';

const RUNTIME_DIR = '/var/run/dpdk';

/** Unique per bench process and per program, so nothing else's prefix is ever touched. */
export function benchPrefix(program: string): string {
  return `bench-${program}-${process.pid}`;
}

function hugetlbfsMounts(): string[] {
  try {
    const mounts = fs
      .readFileSync('/proc/mounts', 'utf8')
      .split('\n')
      .map((l) => l.split(' '))
      .filter((f) => f[2] === 'hugetlbfs')
      .map((f) => f[1]);
    return mounts.length > 0 ? mounts : ['/dev/hugepages'];
  } catch {
    return ['/dev/hugepages'];
  }
}

/** Removes the runtime directory and hugepage files of exactly this prefix; missing ones are fine. */
export function removePrefixFiles(prefix: string): void {
  fs.rmSync(path.join(RUNTIME_DIR, prefix), { recursive: true, force: true });
  // Match `<prefix>map_` exactly: a prefix that merely starts with ours (bench-x-12 vs bench-x-123) is not ours.
  const marker = `${prefix}map_`;
  for (const dir of hugetlbfsMounts()) {
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      if (name.startsWith(marker)) fs.rmSync(path.join(dir, name), { force: true });
    }
  }
}
