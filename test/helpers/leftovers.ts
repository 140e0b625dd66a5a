/**
 * What a prefix's processes leave once they are gone, seen from outside:
 * hugepage files and runtime directory entries, and whether a pid has gone.
 */
import fs from 'node:fs';
import { pidAlive } from '../../src/core/os/pids.js';

/** Hugepage and runtime files of the prefix that are still there. */
export function leftovers(prefix: string): string[] {
  const huge = fs.readdirSync('/dev/hugepages').filter((f) => f.startsWith(`${prefix}map_`));
  const run = fs.existsSync(`/var/run/dpdk/${prefix}`) ? fs.readdirSync(`/var/run/dpdk/${prefix}`) : [];
  return [...huge.map((f) => `/dev/hugepages/${f}`), ...run.map((f) => `/var/run/dpdk/${prefix}/${f}`)];
}

/** Whether `pid` has gone (a zombie counts as gone) within `ms`. */
export async function exitsWithin(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (pidAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

/** Waits until nothing of the prefix is left (a guardian or the last process out removes it); throws naming what stayed. */
export async function untilNoLeftovers(prefix: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (leftovers(prefix).length > 0) {
    if (Date.now() > deadline) throw new Error(`files left of prefix ${prefix}: ${leftovers(prefix).join(', ')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
