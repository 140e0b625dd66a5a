/**
 * Which processes of a prefix would not answer a multi-process request.
 *
 * EAL's synchronous requests (hotplug among them) go to every socket named
 * `mp_socket*` in the runtime directory and wait 5 s for each reply. A socket
 * nobody has bound any more costs nothing (the send is refused at once). The
 * ones that stall a request are bound but unread: their process is stopped
 * (SIGSTOP, a debugger), or it died while a child it forked still holds the
 * socket open (SPDK issue 2456). Both are visible from /proc without sending
 * anything: /proc/net/unix says which socket paths are bound (and their
 * inodes), /proc/<pid>/fd who holds them, /proc/<pid>/stat whether they run.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pidAlive } from './pids.js';
import { procStat } from './procInfo.js';

export interface StuckPeer {
  socket: string;
  pid: number | null;
  reason: string;
}

/** Bound unix socket paths and their inodes. */
function boundSockets(): Map<string, string> {
  const out = new Map<string, string>();
  let text = '';
  try {
    text = fs.readFileSync('/proc/net/unix', 'utf8');
  } catch {
    return out;
  }
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length >= 8) out.set(f.slice(7).join(' '), f[6]!);
  }
  return out;
}

/** Pids holding each of the given socket inodes open. */
function holders(inodes: Set<string>): Map<string, number[]> {
  const out = new Map<string, number[]>();
  if (inodes.size === 0) return out;
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    let fds: string[];
    try {
      fds = fs.readdirSync(`/proc/${d}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let link: string;
      try {
        link = fs.readlinkSync(`/proc/${d}/fd/${fd}`);
      } catch {
        continue;
      }
      const m = /^socket:\[(\d+)\]$/.exec(link);
      if (m && inodes.has(m[1]!)) {
        const list = out.get(m[1]!) ?? [];
        if (!list.includes(Number(d))) list.push(Number(d));
        out.set(m[1]!, list);
      }
    }
  }
  return out;
}

const describe = (pid: number) => {
  const s = procStat(pid);
  return s ? `pid ${pid} (${s.comm})` : `pid ${pid}`;
};
const stopped = (state: string | undefined) => state === 'T' || state === 't';

/**
 * The processes of the prefix in `runtimeDir` that would leave a request
 * unanswered. `selfIsPrimary` says which socket is this process's own.
 */
export function unresponsivePeers(runtimeDir: string, selfIsPrimary: boolean): StuckPeer[] {
  let files: string[];
  try {
    files = fs.readdirSync(runtimeDir).filter((f) => /^mp_socket(_\d+_[0-9a-f]+)?$/.test(f));
  } catch {
    return [];
  }
  const own = (f: string) => (selfIsPrimary ? f === 'mp_socket' : f.startsWith(`mp_socket_${process.pid}_`));
  const bound = boundSockets();
  const peers = files
    .filter((f) => !own(f))
    .map((f) => ({ file: f, inode: bound.get(path.join(runtimeDir, f)), pid: /^mp_socket_(\d+)_/.exec(f)?.[1] }))
    .filter((p) => p.inode !== undefined);
  const held = holders(new Set(peers.map((p) => p.inode!)));
  const stuck: StuckPeer[] = [];
  for (const p of peers) {
    const pids = (held.get(p.inode!) ?? []).filter(pidAlive);
    const owner = p.pid !== undefined ? Number(p.pid) : null;
    const label = owner === null ? 'the primary' : `secondary pid ${owner}`;
    if (owner !== null && !pids.includes(owner)) {
      if (pids.length === 0) continue; // nobody can read it, but nobody holds it either: EAL skips it at once
      const by = pids.map(describe).join(', ');
      stuck.push({ socket: p.file, pid: owner, reason: `${label} is gone but ${by} still holds its socket ${p.file} open` });
      continue;
    }
    const readers = owner !== null ? [owner] : pids;
    if (readers.length > 0 && readers.every((pid) => stopped(procStat(pid)?.state)))
      stuck.push({
        socket: p.file,
        pid: readers[0]!,
        reason: `${label === 'the primary' ? 'the primary' : 'secondary'} ${readers.map(describe).join(', ')} is stopped (SIGSTOP or a debugger)`,
      });
  }
  return stuck;
}
