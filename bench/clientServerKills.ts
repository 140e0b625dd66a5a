/**
 * client_server_mp, repeated kills: a server with 2 clients under net_null
 * load; client 1 is SIGKILLed, client 0 must go on forwarding, client 1 is
 * started again, and again, KILLS times. A kill that lands while the victim
 * is inside an operation on a ring shared with the survivors can leave that
 * ring half-updated for good; stock clients free every sent mbuf into the
 * shared pool's multi-producer ring, so the survivor then spins forever in
 * its next free ("frozen"). mpsh clients hand their mbufs back through
 * return rings of their own (native/src/kill_safety/cs_returns.h). After a freeze the
 * group cannot recover: the run ends there and a fresh group takes the
 * remaining kills.
 */
import type { Counters } from './clientServerProcs.js';
import { checkInterrupted, Run, type Program } from './clientServerRun.js';
import { measureWindow } from '../harness/watchedProcess.js';

export const KILLS = 50;
/** Client 0's TX over this window after a kill, below STALLED_MPPS: frozen. */
const WINDOW_MS = 400;
const STALLED_MPPS = 0.1;

export interface KillSeries {
  kills: number;
  frozen: number;
  /** Fresh groups started after freezes. */
  groups: number;
  /** Client 0 TX after each kill, lowest seen (Mpps). */
  minSurvivorMpps: number;
  anomalies: string[];
}

const log = (msg: string) => process.stderr.write(`bench client_server_mp: ${msg}\n`);

/** Kills until `left` is used up or the survivor freezes; returns kills done and whether it froze. */
async function killSeries(program: Program, left: number, into: KillSeries): Promise<{ done: number; froze: boolean }> {
  const run = new Run(program, `kills${into.groups}`, 2);
  return run.execute(async () => {
    await measureWindow(1_000, run.running());
    for (let done = 0; done < left;) {
      checkInterrupted();
      await run.clients[1].stop('SIGKILL', 0);
      done++;
      const a: Counters = await run.shell.sample();
      await measureWindow(WINDOW_MS, run.running());
      const b: Counters = await run.shell.sample();
      const mpps = (b.clients[0].tx - a.clients[0].tx) / (Number(b.t - a.t) / 1e9) / 1e6;
      into.minSurvivorMpps = Math.min(into.minSurvivorMpps, mpps);
      if (mpps < STALLED_MPPS) {
        log(`${program.name}: client 0 frozen after kill ${into.kills + done}`);
        return { done, froze: true };
      }
      await run.startClient(1);
      await measureWindow(200, run.running());
    }
    return { done: left, froze: false };
  });
}

export async function repeatedKills(program: Program): Promise<KillSeries> {
  const series: KillSeries = { kills: 0, frozen: 0, groups: 0, minSurvivorMpps: Infinity, anomalies: [] };
  while (series.kills < KILLS) {
    series.groups++;
    log(`${program.name}: kills ${series.kills + 1}..${KILLS} in group ${series.groups}`);
    try {
      const { done, froze } = await killSeries(program, KILLS - series.kills, series);
      series.kills += done;
      if (froze) series.frozen++;
    } catch (err) {
      // A frozen group may also refuse to stop in order; its kill still counted above only when seen.
      series.anomalies.push(`group ${series.groups}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
      if (series.anomalies.length > 3) break;
    }
  }
  return series;
}
