/**
 * Lines typed or pasted at the prompt, run one after another in order (as
 * line mode does), never two at once.
 *
 * A paste reaches us through the terminal a few kilobytes at a time, and the
 * terminal hands over the next piece only as fast as it also draws what we
 * print. So lines wait while input is still arriving (QUIET_MS without any)
 * and the whole paste is read first: a Ctrl-C typed after it is read at once
 * and `clear` drops whatever has not run yet. While lines run, the event
 * loop gets a turn every SLICE_MS so the screen redraws and keys are read.
 */
const QUIET_MS = 10;
const SLICE_MS = 20;

const pause = (ms: number) => new Promise((r) => (ms > 0 ? setTimeout(r, ms) : setImmediate(r)));

export class InputQueue {
  private lines: string[] = [];
  private head = 0;
  private running = false;
  private lastPushAt = 0;

  constructor(private readonly run: (line: string) => Promise<void>) {}

  get pending(): number {
    return this.lines.length - this.head;
  }

  push(line: string): void {
    this.lines.push(line);
    this.lastPushAt = Date.now();
    if (!this.running) void this.drain();
  }

  /** Drops the lines not yet run; returns how many. */
  clear(): number {
    const n = this.pending;
    this.lines = [];
    this.head = 0;
    return n;
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      for (;;) {
        for (let quiet = Date.now() - this.lastPushAt; quiet < QUIET_MS; quiet = Date.now() - this.lastPushAt) await pause(QUIET_MS - quiet);
        if (this.head >= this.lines.length) return;
        const sliceEnd = Date.now() + SLICE_MS;
        while (this.head < this.lines.length && Date.now() < sliceEnd) {
          const line = this.lines[this.head++]!;
          await this.run(line);
        }
        if (this.head >= 4096) {
          this.lines = this.lines.slice(this.head);
          this.head = 0;
        }
        await pause(0);
      }
    } finally {
      this.running = false;
    }
  }
}
