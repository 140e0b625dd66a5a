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
 * Overhead = 1 - the median over pairs of rate(panel shown) / rate(shell paused):
 * a burst of other load in one window moves one pair, not the figure.
 */
import type { ForwardRun } from './forwarder.js';
import { othersDuring } from './machineLoad.js';
import { clockTicksPerSecond, cpuTicks } from './procstat.js';
import { median } from './report.js';
import { NODE_FLAGS } from '../src/core/os/nodeFlags.js';
import { MPSH_BIN, ROOT } from '../harness/repo.js';
import { EXIT_TIMEOUT_MS, inPrefix, mpshProgram, NULL_PORTS, PORTS, READY_TIMEOUT_MS, SETTLE_MS, single, WINDOW_MS } from './symmetricRuns.js';
import { rateMpps, Telemetry } from './telemetry.js';
import { TmuxSession } from '../harness/tmux.js';
import { measureWindow } from '../harness/watchedProcess.js';

/** Panel-shown / shell-paused window pairs, and each window's length. */
export const CYCLES = 6;
export const HALF_MS = 2_000;
/** After SIGCONT, for the shell's catch-up redraw to pass before a shown window starts. */
const RESUME_SETTLE_MS = 500;
/** After SIGSTOP, for the last frame's output to drain through tmux. */
const PAUSE_SETTLE_MS = 200;

export interface PanelFigures {
  /** Median over the windows, in Mpps. */
  shownMpps: number;
  pausedMpps: number;
  /** 1 - median over the pairs of shown / paused, in %. */
  overheadPct: number;
  /** Mean CPU the rest of the machine used during the shown and the paused windows, in % of a core. */
  othersShownPct: number;
  othersPausedPct: number;
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
      /** Rate over one window, and the CPU every process but `ours` used meanwhile. */
      const window = (ms: number, ours: number[] = []): Promise<[number, number]> =>
        othersDuring([w.pid, tel.pid, ...ours], async () => {
          const a = await tel.sample(PORTS);
          await measureWindow(ms, [w]);
          return rateMpps(a, await tel.sample(PORTS));
        });
      const [beforeMpps] = await window(WINDOW_MS);

      const panel = TmuxSession.start({
        socket: `mpsh-bench-${process.pid}`,
        cwd: ROOT,
        argv: [process.execPath, ...NODE_FLAGS, MPSH_BIN, '--proc-type=secondary', '--file-prefix', prefix],
      });
      const shown: number[] = [];
      const paused: number[] = [];
      const others: [number[], number[]] = [[], []];
      const ticks = [0, 0];
      let shownSeconds = 0;
      const workerUp = () => {
        if (w.exitStatus) throw new Error(`exited while the panel came up: ${w.describe()}`);
      };
      try {
        await panel.waitFor([/sym0/, /running/, /RX\/s/], READY_TIMEOUT_MS, workerUp);
        await panel.waitForRefresh(5_000, workerUp);
        await measureWindow(SETTLE_MS, [w]);
        for (let i = 0; i < CYCLES; i++) {
          const t0 = process.hrtime.bigint();
          const before = [cpuTicks(panel.pid), cpuTicks(panel.serverPid)];
          const [rate, busy] = await window(HALF_MS, [panel.pid, panel.serverPid]);
          shown.push(rate);
          others[0].push(busy);
          const after = [cpuTicks(panel.pid), cpuTicks(panel.serverPid)];
          shownSeconds += Number(process.hrtime.bigint() - t0) / 1e9;
          for (const k of [0, 1]) ticks[k] += after[k] - before[k];
          panel.assertAlive();
          panel.pause();
          await measureWindow(PAUSE_SETTLE_MS, [w]);
          const [pausedRate, pausedBusy] = await window(HALF_MS, [panel.pid, panel.serverPid]);
          paused.push(pausedRate);
          others[1].push(pausedBusy);
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
      const [afterMpps] = await window(WINDOW_MS);
      const last = await tel.sample(PORTS);
      const run = await w.interrupt(EXIT_TIMEOUT_MS);
      const exitMinusPmd = PORTS.map((p) => (run.ports.find((c) => c.port === p)?.rx ?? Number.NaN) - last.get(p)!.rx);
      return {
        shownMpps: median(shown),
        pausedMpps: median(paused),
        overheadPct: (1 - median(shown.map((x, i) => x / paused[i]))) * 100,
        othersShownPct: mean(others[0]),
        othersPausedPct: mean(others[1]),
        beforeMpps,
        afterMpps,
        shellCpuPct,
        tmuxCpuPct,
        exitMinusPmd,
        run,
      };
    } finally {
      await tel.close();
    }
  });
}
