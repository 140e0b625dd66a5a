/**
 * The guardian's program (see guardian.ts): waits for the shell's pipe to
 * end, and when the shell died without saying `done`, stops its children
 * (SIGTERM, then SIGKILL as the shell's `kill` does) and removes the files
 * the dead left. Started by the shell only; never attaches to the prefix.
 */
import { pidAlive } from '../os/pids.js';
import { procStat } from '../os/procInfo.js';
import { runtimeDirOf } from '../dpdk/ealOptions.js';
import { removePrefixLeftovers, removeProcessFiles } from '../dpdk/prefixFiles.js';
import { STOP_TIMEOUT_MS } from '../roles/supervisor.js';
import { decodeMessage, GUARDED_PID_ENV, knownProcess, type KnownProcess } from './guardian.js';

const shellPid = Number(process.env[GUARDED_PID_ENV]);
const children: KnownProcess[] = [];
let prefix: { filePrefix: string; hugeDir: string | undefined } | undefined;
let done = false;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Still the process we were told of (a pid the kernel gave to someone else is not). */
const stillThere = (p: KnownProcess) => pidAlive(p.pid) && procStat(p.pid)?.startTime === p.startTime;

async function until(cond: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) return false;
    await sleep(20);
  }
  return true;
}

function signal(p: KnownProcess, sig: NodeJS.Signals): void {
  try {
    if (stillThere(p)) process.kill(p.pid, sig);
  } catch {
    // gone meanwhile
  }
}

async function afterShellDied(): Promise<void> {
  // The pipe also ends when the shell replaces its image (same pid, a fresh
  // start that runs a guardian of its own): nothing to do then.
  if (!(await until(() => !pidAlive(shellPid), 2000))) return;
  const alive = children.filter(stillThere);
  for (const c of alive) signal(c, 'SIGTERM');
  if (!(await until(() => !alive.some(stillThere), STOP_TIMEOUT_MS))) {
    for (const c of alive) signal(c, 'SIGKILL');
    await until(() => !alive.some(stillThere), 2000);
  }
  if (!prefix) return;
  removeProcessFiles(
    runtimeDirOf(prefix.filePrefix),
    [shellPid, ...children.map((c) => c.pid)].filter((pid) => !pidAlive(pid)),
  );
  // Nobody left of the prefix: its hugepage files and runtime directory go (a no-op while anyone uses it).
  removePrefixLeftovers(prefix.filePrefix, prefix.hugeDir);
}

let pending = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  pending += chunk;
  const lines = pending.split('\n');
  pending = lines.pop() ?? '';
  for (const line of lines) {
    const m = decodeMessage(line);
    if (m?.kind === 'prefix') prefix = { filePrefix: m.filePrefix, hugeDir: m.hugeDir };
    else if (m?.kind === 'child') {
      const known = knownProcess(m.pid);
      // Kept short through restart storms: only the living are worth a look later.
      const living = children.filter(stillThere);
      children.splice(0, children.length, ...living);
      if (known) children.push(known);
    } else if (m?.kind === 'done') done = true;
  }
});
process.stdin.on('end', () => {
  if (done) process.exit(0);
  afterShellDied().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
// A Ctrl-C or a hang-up meant for the shell's terminal is not ours: only the pipe's end tells.
for (const sig of ['SIGINT', 'SIGHUP'] as NodeJS.Signals[]) process.on(sig, () => {});
