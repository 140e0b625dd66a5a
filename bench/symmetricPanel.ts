/**
 * What the live counter panel costs a forwarding worker: one `mpsh symmetric`
 * primary, and an mpsh shell attached to its prefix as a secondary, drawing
 * its panel (refreshed 4x/s from the shared counters) in a real terminal.
 *
 * The rate comes from net_null's own RX count read over DPDK telemetry, so it
 * can be taken over any window of the one running worker:
 *   - a window before the shell starts, one after it has gone (no shell);
 *   - in between, short windows alternating panel shown / shell paused
 *     (SIGSTOP), so the machine's drift and other load fall on both alike.
 * Overhead = 1 - rate(panel shown) / rate(shell paused).
 */
import { measureWindow, type ForwardRun } from './forwarder.js';
import { clockTicksPerSecond, cpuTicks } from './procstat.js';
import {
  EXIT_TIMEOUT_MS, inPrefix, MPSH_BIN, mpshProgram, NULL_PORTS, PORTS, READY_TIMEOUT_MS, ROOT, SETTLE_MS, single, WINDOW_MS,
} from './symmetricRuns.js';
import { rateMpps, Telemetry } from './telemetry.js';
import { TmuxPanel } from './tmuxPanel.js';

/** Panel-shown / shell-paused window pairs, and each window's length. */
export const CYCLES = 6;
export const HALF_MS = 2_000;
/** After SIGCONT, for the shell's catch-up redraw to pass before a shown window starts. */
const RESUME_SETTLE_MS = 500;
/** After SIGSTOP, for the last frame's output to drain through tmux. */
const PAUSE_SETTLE_MS = 200;

export interface PanelFigures {
  /** Mean over the windows, in Mpps. */
  shownMpps: number;
  pausedMpps: number;
  /** The single windows with no shell at all, before it started and after it left. */
  beforeMpps: number;
  afterMpps: number;
  /** Over the shown windows, in % of one core. */
  shellCpuPct: number;
  tmuxCpuPct: number;
  /** The worker's exit RX minus net_null's own count taken just before SIGINT, per port (negative: mpsh missed packets). */
  exitMinusPmd: number[];
  run: ForwardRun;
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

export function forwardWithPanel(): Promise<PanelFigures> {
  return inPrefix('mpsh-panel', async (start, prefix) => {
    const w = start(mpshProgram, single(NULL_PORTS));
    await w.waitReady(READY_TIMEOUT_MS);
    await measureWindow(SETTLE_MS, [w]);
    const tel = await Telemetry.open(prefix);
    try {
      const window = async (ms: number): Promise<number> => {
        const a = await tel.sample(PORTS);
        await measureWindow(ms, [w]);
        return rateMpps(a, await tel.sample(PORTS));
      };
      const beforeMpps = await window(WINDOW_MS);

      const panel = TmuxPanel.start(`mpsh-bench-${process.pid}`, ROOT, [process.execPath, MPSH_BIN, '--proc-type=secondary', '--file-prefix', prefix]);
      const shown: number[] = [];
      const paused: number[] = [];
      const ticks = [0, 0];
      let shownSeconds = 0;
      const workerUp = () => {
        if (w.exitStatus) throw new Error(`exited while the panel came up: ${w.describe()}`);
      };
      try {
        await panel.waitForScreen([/sym0/, /running/, /RX\/s/], READY_TIMEOUT_MS, workerUp);
        await panel.waitForRefresh(5_000, workerUp);
        await measureWindow(SETTLE_MS, [w]);
        for (let i = 0; i < CYCLES; i++) {
          const t0 = process.hrtime.bigint();
          const before = [cpuTicks(panel.pid), cpuTicks(panel.serverPid)];
          shown.push(await window(HALF_MS));
          const after = [cpuTicks(panel.pid), cpuTicks(panel.serverPid)];
          shownSeconds += Number(process.hrtime.bigint() - t0) / 1e9;
          for (const k of [0, 1]) ticks[k] += after[k] - before[k];
          panel.assertAlive();
          panel.pause();
          await measureWindow(PAUSE_SETTLE_MS, [w]);
          paused.push(await window(HALF_MS));
          panel.resume();
          await measureWindow(RESUME_SETTLE_MS, [w]);
        }
        // Still drawing the worker at the end: the shown windows showed what they claim.
        await panel.waitForRefresh(5_000, workerUp);
        if (!/sym0/.test(panel.capture())) throw new Error(`the panel is gone from the screen:\n${panel.capture()}`);
      } finally {
        await panel.stop();
      }
      const [shellCpuPct, tmuxCpuPct] = ticks.map((t) => (t / clockTicksPerSecond() / shownSeconds) * 100);

      await measureWindow(SETTLE_MS, [w]);
      const afterMpps = await window(WINDOW_MS);
      const last = await tel.sample(PORTS);
      const run = await w.interrupt(EXIT_TIMEOUT_MS);
      const exitMinusPmd = PORTS.map((p) => (run.ports.find((c) => c.port === p)?.rx ?? Number.NaN) - last.get(p)!.rx);
      return { shownMpps: mean(shown), pausedMpps: mean(paused), beforeMpps, afterMpps, shellCpuPct, tmuxCpuPct, exitMinusPmd, run };
    } finally {
      await tel.close();
    }
  });
}
