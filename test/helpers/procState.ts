import fs from 'node:fs';

/** Waits until the kernel shows `pid` stopped (T) or running again: a signal takes effect asynchronously. */
export async function untilStopped(pid: number, stopped: boolean): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    if ((stat[stat.lastIndexOf(')') + 2] === 'T') === stopped) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`pid ${pid} never became ${stopped ? 'stopped' : 'running'}`);
}
