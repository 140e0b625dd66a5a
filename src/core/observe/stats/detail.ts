/**
 * `show <name>`: one process in detail, as lines of text (printed in line
 * mode, redrawn each sample in the TTY's focused view). What shared memory
 * and /proc hold comes through probes, so unit tests can give fixed ones.
 */
import { duration, human } from '../../util/units.js';
import type { CpuTimes, ThreadAffinity } from '../../os/procInfo.js';
import { cpuShare } from '../../os/procInfo.js';
import type { RateHistory } from './history.js';
import { sparkline, txDiffers, windowPeak } from './history.js';
import { idlePolicyText, stateText } from './table.js';
import type { GroupStats, ProcessRow } from './types.js';

export interface DetailProbes {
  /** Entries in a client's MProc_Client_<i>_RX ring and its capacity; null without the ring. */
  ring(client: number): { name: string; count: number; capacity: number } | null;
  /** The mempool this role allocates from, and how much of it is in use. */
  pool(role: string): { name: string; inUse: number; size: number } | null;
  /** CPU times now, and the reading before (for the recent share). */
  cpu(pid: number): { now: CpuTimes; before: CpuTimes | null } | null;
  lcores(pid: number): string | null;
  threads(pid: number): ThreadAffinity[];
  /** CLOCK_MONOTONIC ns now (heartbeats are stamped with it). */
  monotonicNs(): bigint;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const SPARK_WIDTH = 40;

export function detailLines(name: string, g: GroupStats, history: RateHistory, probes: DetailProbes): string[] {
  const p = g.processes.find((x) => x.name === name);
  if (!p) return [`no process named '${name}': ps lists them`];
  const h = history.of(name);
  const out: string[] = [];
  const up = p.uptimeMs ? `up ${duration(p.uptimeMs)}` : 'not running';
  out.push(
    `${p.name}: ${p.role}${p.procId !== undefined ? ` proc-id ${p.procId}` : ''}, pid ${p.pid || '-'}, ${stateText(p)}, ${up}, restarts ${h?.restarts ?? 0}`,
  );
  const ageMs = p.heartbeatNs !== undefined && p.heartbeatNs > 0n ? Number(probes.monotonicNs() - p.heartbeatNs) / 1e6 : undefined;
  const beat = ageMs === undefined ? 'none' : ageMs < 1000 ? `${ageMs.toFixed(1)} ms ago` : `${duration(ageMs)} ago`;
  out.push(`  heartbeat ${beat} · idle policy ${idlePolicyText(p) || 'not reported'} · loop ${p.idle ? 'sleeping (idle)' : 'polling'}`);
  out.push(...processLines(p, probes));

  out.push('  PORT       RX       TX     DROP     RX/s     TX/s  PEAK RX/s  PEAK TX/s');
  for (const port of p.ports) {
    const pk = h?.portPeaks.get(port.port);
    const cells = [human(port.rx), human(port.tx), human(port.drop), human(port.rxPps), human(port.txPps)].map((c) => c.padStart(8));
    out.push(`  ${String(port.port).padStart(4)} ${cells.join(' ')} ${human(pk?.rx ?? 0).padStart(10)} ${human(pk?.tx ?? 0).padStart(10)}`);
  }
  if (p.ports.length === 0) out.push('     (no ports)');
  // Glyphs of 1.5 s each: with the label and peaks a line fits 80 columns.
  const pts = h?.points ?? [];
  const spark = (dir: 'rx' | 'tx', since: number) =>
    `  ${dir}/s ${sparkline(pts, (x) => x[dir], SPARK_WIDTH, g.at)} peak ${human(windowPeak(pts, (x) => x[dir]))}, since start ${human(since)}`;
  out.push(spark('rx', h?.peakRx ?? 0));
  if (txDiffers(pts) || (!p.client && p.role !== 'server')) out.push(spark('tx', h?.peakTx ?? 0));
  if (p.client) {
    const c = p.client;
    const ring = probes.ring(c.id);
    const fill = ring ? `${ring.count} of ${ring.capacity} entries (${pct(ring.count / Math.max(1, ring.capacity))})` : 'no ring';
    out.push(`  ring ${ring?.name ?? `MProc_Client_${c.id}_RX`}: ${fill} · ring drops ${human(c.rxDrop)}${c.skipped ? ' · skipped by the server' : ''}`);
  }
  if (p.role === 'server') out.push(...distribution(g));
  const pool = probes.pool(p.role);
  out.push(
    pool
      ? `  mempool ${pool.name}: ${pool.inUse} of ${pool.size} in use (${pct(pool.inUse / Math.max(1, pool.size))})`
      : '  mempool: none found in this prefix',
  );
  return out;
}

function processLines(p: ProcessRow, probes: DetailProbes): string[] {
  if (!p.pid) return ['  cpu: no process'];
  const cpu = probes.cpu(p.pid);
  if (!cpu) return [`  cpu: pid ${p.pid} is gone`];
  const { now, before } = cpu;
  const recent = before ? `${pct(cpuShare(now, before))} now, ` : '';
  const lines = [`  cpu ${recent}${pct(cpuShare(now))} average since start (user ${now.userS.toFixed(2)} s, sys ${now.sysS.toFixed(2)} s)`];
  const threads = probes.threads(p.pid).map((t) => `${t.name} cpus ${t.cpus}${Number.isFinite(t.lastCpu) ? ` (on ${t.lastCpu})` : ''}`);
  const given = probes.lcores(p.pid);
  lines.push(`  lcores, affinity (now on): ${threads.join(', ') || 'unknown'}${given ? `; given ${given}` : ''}`);
  return lines;
}

/** The server's share of packets per client (what it put in each ring). */
function distribution(g: GroupStats): string[] {
  const clients = g.processes.filter((x) => x.client);
  const total = clients.reduce((a, x) => a + (Number.isFinite(x.client!.rx) ? x.client!.rx : 0), 0);
  if (clients.length === 0) return ['  distribution: no clients'];
  const cells = clients.map((x) => {
    const rx = x.client!.rx;
    const share = Number.isFinite(rx) && total > 0 ? pct(rx / total) : '-';
    return `${x.name} ${share} ${human(x.client!.rxPps)}/s`.padEnd(22);
  });
  const lines = [`  distribution: share of the ${human(total)} packets put in client rings, and rate now`];
  for (let i = 0; i < cells.length; i += 3)
    lines.push(
      `    ${cells
        .slice(i, i + 3)
        .join(' ')
        .trimEnd()}`,
    );
  return lines;
}
