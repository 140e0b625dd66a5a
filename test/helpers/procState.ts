/** Waiting for a signal to take effect, as the kernel shows it in /proc. */
import { procStat } from '../../src/core/os/procInfo.js';

/** Waits until the kernel shows `pid` stopped (T) or running again: a signal takes effect asynchronously. */
export async function untilStopped(pid: number, stopped: boolean): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if ((procStat(pid)?.state === 'T') === stopped) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`pid ${pid} never became ${stopped ? 'stopped' : 'running'}`);
}
