/** The detail view's probes over this prefix's shared memory and /proc. */
import { ringName } from '../../roles/clientServer/region.js';
import { native } from '../../dpdk/native.js';
import { cpuTimes, lcoreArg, threadAffinity, type CpuTimes } from '../../os/procInfo.js';
import type { DetailProbes } from './detail.js';

const POOL_OF_ROLE: Record<string, string> = { symmetric: 'SMP_MBUF_POOL', server: 'MProc_pktmbuf_pool', client: 'MProc_pktmbuf_pool' };

/** Remembers each pid's last CPU reading, so each call gives the share since the one before. */
export function liveProbes(): DetailProbes {
  const last = new Map<number, CpuTimes>();
  return {
    ring(client) {
      const r = native().Ring.lookup(ringName(client));
      return r ? { name: r.name, count: r.count(), capacity: r.capacity } : null;
    },
    pool(role) {
      const name = POOL_OF_ROLE[role];
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
