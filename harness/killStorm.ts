/**
 * A kill storm on a client-server group, for the test that checks the pool
 * comes back and the script that measures it: `kill -9` a client under
 * net_null load and restart it, `kills` times, then stop the others
 * gracefully and read `pools`. What a killed client held in its lcore cache
 * is taken back by whoever gets that lcore next (native/src/kill_safety/
 * cache_reclaim.h); what it held in flight (its burst, its TX buffers) is lost.
 * With `dieOnItsOwn` the victim kills itself (MPSH_TEST_DIE_WITH_CACHE in the
 * shell's environment) and the storm only restarts it.
 */
import { adoptPidsIn, sleep, type Proc } from './proc.js';

export interface PoolReading {
  inUse: number;
  /** Of those, waiting in client rings (a dead client's ring keeps what it held). */
  inClientRings: number;
  returned: number;
  reclaimed: number;
  dropped: number;
}

export interface StormOptions {
  /** Load between kills. */
  busyMs?: number;
  /** Stopped gracefully after the storm. */
  others?: string[];
  dieOnItsOwn?: boolean;
  /** The victim's first death was already printed (in the output of the command that started it). */
  diedAlready?: boolean;
}

export async function readCsPool(sh: Proc): Promise<PoolReading> {
  const out = await sh.command('pools');
  const use = /MProc_pktmbuf_pool: (\d+) in use/.exec(out);
  const ret = /return rings: \d+, \d+ waiting \([^)]*\), (\d+) returned, (\d+) reclaimed from killed processes' caches, (\d+) dropped/.exec(out);
  const rings = /client rings: \d+ of size \d+ \(\d+ packets each\), (\d+) waiting/.exec(out);
  if (!use || !ret || !rings) throw new Error(`pools does not show the client-server pool and its rings:\n${out}`);
  return { inUse: Number(use[1]), inClientRings: Number(rings[1]), returned: Number(ret[1]), reclaimed: Number(ret[2]), dropped: Number(ret[3]) };
}

const pidOf = async (sh: Proc, name: string): Promise<number> => {
  const line = (await sh.command('stats --json')).split('\n').find((l) => l.startsWith('{'));
  const p = line && (JSON.parse(line) as { processes: { name: string; pid: number }[] }).processes.find((x) => x.name === name);
  if (!p) throw new Error(`stats --json shows no ${name}`);
  return p.pid;
};

/** Kills (or lets die) and restarts `victim` `kills` times; then stops the others and reads the pool. */
export async function killStorm(sh: Proc, victim: string, kills: number, opts: StormOptions = {}): Promise<PoolReading> {
  const { busyMs = 150, others = ['server', 'client1'], dieOnItsOwn = false } = opts;
  const died = new RegExp(`${victim} \\(pid \\d+\\) killed \\(SIGKILL\\)`);
  // A victim dying on its own may do so before `restart` has printed its prompt: the notice is then in its output.
  let diedAlready = opts.diedAlready ?? false;
  for (let i = 0; i < kills; i++) {
    if (!dieOnItsOwn) {
      await sleep(busyMs);
      process.kill(await pidOf(sh, victim), 'SIGKILL');
    }
    if (!diedAlready) await sh.waitFor(died, 10_000);
    if (dieOnItsOwn && i === kills - 1) break; // the last one stays dead: no successor to take its cache
    const out = await sh.command(`restart ${victim}`, 30_000);
    adoptPidsIn(out);
    if (!new RegExp(`${victim} restarted`).test(out)) throw new Error(`restart ${victim} failed: ${out}`);
    diedAlready = died.test(out.slice(out.search(new RegExp(`${victim} restarted`))));
  }
  await sleep(busyMs);
  for (const name of dieOnItsOwn ? others : [...others, victim]) {
    const out = await sh.command(`kill ${name}`);
    if (!new RegExp(`${name} stopped`).test(out)) throw new Error(`kill ${name}: ${out}`);
  }
  return readCsPool(sh);
}
