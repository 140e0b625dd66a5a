/**
 * One attach or detach at a time per prefix. Two shells attaching the same
 * name at once both printed `attached`, or both failed for different
 * reasons (issue 19 item 12): EAL's hotplug requests of two processes cross
 * in the secondaries. Each request now holds an exclusive flock on
 * `<runtime dir>/mpsh/hotplug.lock` (the kernel frees it when its holder
 * dies), taken without blocking the event loop: tried, then tried again
 * every RETRY_MS. The caller checks its request again once it holds the
 * lock, so the later of two equal requests finds the device there and says so.
 */
import fs from 'node:fs';
import path from 'node:path';
import { native } from '../dpdk/native.js';
import { UsageError } from '../util/errors.js';

const RETRY_MS = 50;
/** Longer than one request can take: EAL waits 5 s for each process that does not answer. */
export const HOTPLUG_LOCK_WAIT_MS = 30_000;

export function hotplugLockPath(runtimeDir: string): string {
  return path.join(runtimeDir, 'mpsh', 'hotplug.lock');
}

function holder(file: string): string {
  try {
    const pid = Number(fs.readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? ` (pid ${pid})` : '';
  } catch {
    return '';
  }
}

/** Runs `fn` holding the prefix's hotplug lock; `what` names the request in the refusal. */
export async function withHotplugLock<T>(runtimeDir: string, what: string, fn: () => Promise<T>, waitMs = HOTPLUG_LOCK_WAIT_MS): Promise<T> {
  const file = hotplugLockPath(runtimeDir);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const start = Date.now();
  let fd = native().tryClaimFile(file);
  while (fd < 0) {
    if (Date.now() - start >= waitMs) {
      throw new UsageError(
        `${what} refused: another attach or detach in this prefix${holder(file)} has held ${path.basename(path.dirname(file))}/hotplug.lock for ${Math.round(waitMs / 1000)} s; try again when it ends`,
      );
    }
    await new Promise((r) => setTimeout(r, RETRY_MS));
    fd = native().tryClaimFile(file);
  }
  try {
    fs.ftruncateSync(fd, 0);
    fs.writeSync(fd, `${process.pid}\n`, 0);
    return await fn();
  } finally {
    native().releaseFile(fd);
  }
}
