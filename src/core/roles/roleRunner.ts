/**
 * The skeleton every packet role process shares (`mpsh symmetric`, `mpsh
 * server`, `mpsh client`): signal handlers, EAL with a forwarding lcore,
 * refusing a slot another live process holds, the primary's EAL-cleanup
 * exception, the exit report, the ready line and the keep-alive. A role is
 * a small table of hooks (RoleProcess) that its `setup` returns.
 */
import { startEal, stopEal, type EalSession } from '../dpdk/eal.js';
import { allCpusSet } from '../dpdk/ealOptions.js';
import { UsageError } from '../util/errors.js';
import { installSignalHandlers, onShutdown } from '../dpdk/lifecycle.js';
import { heldByOther } from './liveness.js';
import type { SlotHeader, SlotState } from './processSlot.js';

/** What a role process prints once it is up, as stock does (on stderr there); the shell and the benches wait for it. */
export const READY_LINE = 'APP: Finished Process Init.';

export interface RoleProcess {
  /** The slot as found: refused when another live process holds it. */
  held: SlotHeader | null;
  /** Why this process cannot take a slot held by `pid`, and what to do. */
  busy(pid: number): string;
  /** Work between the slot check and the claim (a primary sets its ports up). */
  prepare?(): void;
  claim(): void;
  setState(state: SlotState): void;
  /** Creates the loop once the slot is claimed. */
  loop(): { start(): number | number[]; stop(): void };
  /** What the loop is, in "while stopping <name>" messages. */
  loopName: string;
  /** A primary leaving while these run must not clean EAL up: that closes their ports. */
  othersRunning?(): boolean;
  /** Lines after the loop started on `lcores`. */
  started(lcores: number[]): string[];
  /** The exit report, printed after the loop stopped. */
  report(signal: NodeJS.Signals | undefined): string;
}

export interface RoleSpec {
  userEal: string[];
  /** CPU set of the forwarding lcore (the main lcore floats over every CPU). */
  forwardingCpu: string;
  setup(eal: EalSession): RoleProcess;
}

export const say = (line: string): boolean => process.stdout.write(`${line}\n`);

export async function runRole(spec: RoleSpec): Promise<void> {
  let signal: NodeJS.Signals | undefined;
  installSignalHandlers({ onSignal: (s) => (signal = s), stdoutClosedEnds: false });
  const eal = startEal({
    userEal: spec.userEal,
    lcoreCount: 2,
    cpuFor: (i) => (i === 0 ? allCpusSet() : spec.forwardingCpu),
    defaultVdevs: ['net_null0', 'net_null1'],
  });
  // Registered before anything can fail (a pool EAL has no memory for, a
  // busy slot): what EAL set up goes, hugepage files and runtime directory
  // included, not only after a clean run.
  let set: RoleProcess | undefined;
  onShutdown('EAL', () => {
    if (eal.processType === 'primary' && set?.othersRunning?.()) return;
    stopEal();
  });
  const role = (set = spec.setup(eal));
  if (heldByOther(role.held)) throw new UsageError(role.busy(role.held.pid));
  role.prepare?.();
  role.claim();
  const loop = role.loop();
  onShutdown(role.loopName, () => {
    loop.stop();
    role.setState('stopped');
    process.stdout.write(role.report(signal));
  });
  const started = loop.start();
  for (const line of role.started(Array.isArray(started) ? started : [started])) say(line);
  role.setState('running');
  say(READY_LINE);
  // Nothing else keeps the event loop alive: the loops run on lcores.
  setInterval(() => {}, 1 << 30);
}
