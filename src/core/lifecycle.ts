/**
 * The one exit path. Whatever ends the process (quit, Ctrl-D, end of input,
 * SIGINT, SIGTERM, SIGHUP) runs the registered cleanups once, in reverse
 * order of registration (lcore loops before EAL), then exits.
 *
 * Signal handlers in Node run on the JS thread from the event loop, so the
 * cleanup is ordinary code; nothing runs inside the async signal context
 * (the stock samples' printf-in-handler crashes, DPDK Bugzilla 1751).
 */
type Cleanup = () => void | Promise<void>;

const cleanups: { name: string; fn: Cleanup }[] = [];
let exiting: Promise<never> | null = null;

export function onShutdown(name: string, fn: Cleanup): void {
  cleanups.push({ name, fn });
}

export function shutdown(code = 0): Promise<never> {
  if (!exiting) exiting = run(code);
  return exiting;
}

export function isShuttingDown(): boolean {
  return exiting !== null;
}

async function run(code: number): Promise<never> {
  for (const { name, fn } of cleanups.reverse()) {
    try {
      await fn();
    } catch (err) {
      process.stderr.write(`mpsh: while stopping ${name}: ${err instanceof Error ? err.message : String(err)}\n`);
      code = code || 1;
    }
  }
  process.exit(code);
}

export interface SignalOptions {
  /** Runs first, with the signal that ends the process. */
  onSignal?: (sig: NodeJS.Signals) => void;
  /**
   * Whether a closed stdout (its reader went away) ends the process. A shell
   * with nobody reading has no purpose; a packet worker whose shell died
   * must go on forwarding.
   */
  stdoutClosedEnds?: boolean;
}

/** SIGINT, SIGTERM and SIGHUP end the process gracefully; a second one while stopping is ignored. */
export function installSignalHandlers(opts: SignalOptions = {}): void {
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => {
      if (isShuttingDown()) return;
      opts.onSignal?.(sig);
      void shutdown(0);
    });
  }
  const ends = opts.stdoutClosedEnds ?? true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', () => {
      if (ends && stream === process.stdout) void shutdown(0);
    });
  }
}
