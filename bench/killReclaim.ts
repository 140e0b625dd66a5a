/**
 * `node dist/bench/killReclaim.js [kills]`: how many mbufs a kill storm
 * costs the client-server pool for good. kill -9 + restart of client 0
 * under net_null load (default 100 times), then graceful stops; prints the
 * pool's in-use count and what was taken back from killed clients' caches.
 */
import { adoptPidsIn, mpshShell, removePrefixFiles, stopAll, uniquePrefix } from '../harness/proc.js';
import { killStorm } from '../harness/killStorm.js';

const kills = Number(process.argv[2] ?? 100);
const prefix = uniquePrefix('benchreclaim');
try {
  const sh = await mpshShell('benchreclaim', ['--file-prefix', prefix]);
  adoptPidsIn(await sh.command('spawn server --clients 2 --start-clients', 30_000));
  const r = await killStorm(sh, 'client0', kills);
  process.stdout.write(
    `kills: ${kills}, in use after graceful stops: ${r.inUse} (${(r.inUse / kills).toFixed(1)} a kill), ` +
      `reclaimed from killed caches: ${r.reclaimed}, dropped: ${r.dropped}, returned: ${r.returned}\n`,
  );
  sh.write('quit');
  await sh.exited;
} finally {
  await stopAll();
  removePrefixFiles(prefix);
}
