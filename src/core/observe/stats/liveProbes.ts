/** The detail view's probes over this prefix's shared memory and /proc. */
import { csLayout, ringName } from '../../roles/clientServer/region.js';
import { SymStatsRegion } from '../../roles/symmetric/statsRegion.js';
import { native } from '../../dpdk/native.js';
import { cpuTimes, lcoreArg, threadAffinity, type CpuTimes } from '../../os/procInfo.js';
import type { DetailProbes } from './detail.js';

/** The pool a role allocates from, by the names the layouts export. */
const poolOf = (role: string): string | undefined =>
  role === 'symmetric' ? SymStatsRegion.layout().pool : role === 'server' || role === 'client' ? csLayout().pool : undefined;

/** Remembers each pid's last CPU reading, so each call gives the share since the one before. */
export function liveProbes(): DetailProbes {
  const last = new Map<number, CpuTimes>();
  return {
    ring(client) {
      const r = native().Ring.lookup(ringName(client));
      return r ? { name: r.name, count: r.count(), capacity: r.capacity } : null;
    },
    pool(role) {
      const name = poolOf(role);
      const p = name ? native().Mempool.lookup(name) : null;
      return p ? { name: p.name, inUse: p.inUseCount(), size: p.size } : null;
    },
    cpu(pid) {
      const now = cpuTimes(pid);
      if (!now) return null;
      const before = last.get(pid) ?? null;
      last.set(pid, now);
      return { now, before };
    },
    lcores: lcoreArg,
    threads: threadAffinity,
    monotonicNs: () => process.hrtime.bigint(),
  };
}
