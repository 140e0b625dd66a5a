/**
 * DPDK file prefixes for test and benchmark runs, and removal of what a run
 * leaves: processes still on the prefix, the runtime directory
 * /var/run/dpdk/<prefix> and the hugepage files <prefix>map_* on every
 * hugetlbfs mount. EAL keeps both after exit, and left behind they hold
 * hugepages that later runs and tests need.
 */
import fs from 'node:fs';
import path from 'node:path';

const RUNTIME_DIR = '/var/run/dpdk';

/** Unique per bench process and per program, so nothing else's prefix is ever touched. */
export function benchPrefix(program: string): string {
  return `bench-${program}-${process.pid}`;
}

let counter = 0;
/** A file prefix of one test's own. */
export function uniquePrefix(tag: string): string {
  return `mt-${tag}-${process.pid}-${counter++}`;
}

/**
 * Pids of processes of this prefix (a shell's detached workers, left behind
 * when a run fails midway). The prefix is unique to the run, so these are
 * processes it started.
 */
function prefixPids(prefix: string): number[] {
  const pids: number[] = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const argv = fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0');
      const i = argv.indexOf('--file-prefix');
      if ((i >= 0 && argv[i + 1] === prefix) || argv.includes(`--file-prefix=${prefix}`)) pids.push(Number(d));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
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

/** SIGKILLs whatever still runs on exactly this prefix, then removes its runtime directory and hugepage files; missing ones are fine. */
export function removePrefixFiles(prefix: string): void {
  for (const pid of prefixPids(prefix)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
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
