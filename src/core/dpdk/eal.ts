/**
 * Bringing EAL up (and down) in this process, with the embedded default and
 * one clear line plus a hint when it fails (ealHints.ts).
 */
import { recordDevargs, vdevArgs } from './devargs.js';
import { UsageError } from '../util/errors.js';
import { visible } from '../util/text.js';
import { ealOptionValue, lcoreClaimDir, planEalArgs, runtimeDirOf, filePrefixOf, FIRST_DEFAULT_LCORE, type EalPlan } from './ealOptions.js';
import { explainInitFailure } from './ealHints.js';
import { native, type EalInfo, type EalInitResult } from './native.js';
import { configComplete, goneLine, onlyMonitors, watchPrimary, workersLeft, type GoneHow, type PrimaryProcess } from './primaryLife.js';
import { hugetlbfsMount, liveProcessesOf, removeOwnFiles, removePrefixLeftovers } from './prefixFiles.js';
import { preflight } from './preflight.js';

export { liveProcessesOf };

export interface EalSession extends EalInfo {
  filePrefix: string;
  args: string[];
  /** Worker lcores of this process (every lcore but the main one). */
  workerLcores: number[];
  /** What EAL printed during init. */
  initLog: string;
}

export class EalStartError extends Error {
  constructor(
    message: string,
    readonly log: string,
  ) {
    super(message);
    this.name = 'EalStartError';
  }
}

export interface StartOptions {
  userEal: string[];
  lcoreCount: number;
  cpuFor: (index: number) => string;
  defaultVdevs: string[];
  /** What a secondary with no primary should do (preflight.ts). */
  noPrimaryHint?: string;
}

export function planFor(opts: StartOptions): EalPlan {
  const prefix = filePrefixOf(opts.userEal);
  checkFilePrefix(prefix);
  const addon = native();
  const primaryRunning = addon.primaryRunning(runtimeDirOf(prefix));
  const orphans = liveProcessesOf(runtimeDirOf(prefix));
  // Monitors own nothing, but they still map the gone primary's memory: a
  // new primary would fail on it and re-create the config under them.
  const monitors = primaryRunning ? null : onlyMonitors(orphans);
  if (monitors) {
    throw new UsageError(
      `file prefix '${prefix}' has no primary; only monitors that own nothing are left, still holding its old memory: ${monitors} — stop them (or let them resume: they let go and wait by themselves), then start again`,
    );
  }
  return planEalArgs({
    userEal: opts.userEal,
    lcoreCount: opts.lcoreCount,
    cpuFor: opts.cpuFor,
    claimLcores: (n) => addon.claimLcores(lcoreClaimDir(prefix), n, FIRST_DEFAULT_LCORE, addon.maxLcore - 1),
    primaryRunning,
    orphans,
    defaultVdevs: opts.defaultVdevs,
  });
}

/**
 * A prefix names files: /var/run/dpdk/<prefix>/ and /dev/hugepages/<prefix>map_N.
 * Checked before anything is made, so a bad one leaves nothing behind.
 */
export function checkFilePrefix(prefix: string): void {
  if (prefix === '' || prefix === '.' || prefix === '..' || prefix.includes('/') || prefix.includes('\0')) {
    throw new UsageError(`--file-prefix '${visible(prefix)}' cannot name files (no '/', not empty, not . or ..): give a plain name, e.g. --file-prefix mpsh2`);
  }
}

/**
 * A --vdev EAL could not create does not fail rte_eal_init: the process
 * would run without that port. Says so, one line per device.
 */
function reportFailedVdevs(log: string, args: string[]): void {
  for (const m of log.matchAll(/failed to initialize (\S+) device/g)) {
    const given = args.find((a) => a.replace(/^--vdev=/, '').split(',')[0] === m[1]) ?? m[1];
    process.stderr.write(
      `mpsh: ${given!.replace(/^--vdev=/, '--vdev ')} was not created (EAL: ${m[0]}): check the device's arguments; this process runs without it\n`,
    );
  }
}

let current: EalSession | undefined;

/**
 * Secondary start-up failures that a fresh attempt gets past:
 *  - A secondary must map its primary's memory at the same addresses. The
 *    addon reserves that window as early as it can, but V8 may already have
 *    put a heap page there (its pages go to random addresses).
 *  - A secondary's first allocations grow the shared heap through a request
 *    to the primary; while other processes of the prefix are starting at the
 *    same moment that request can fail (seen as rte_service_init failing).
 * EAL cannot be initialised twice in one process, so the process re-executes
 * itself (same pid, same stdio) after a short random pause.
 */
const RETRYABLE =
  /Cannot preallocate VA space|Could not reserve memory|Cannot attach to primary process memseg lists|rte_service_init\(\) failed|Cannot init memory/;
const RETRY_ENV = 'MPSH_EAL_VA_RETRY';
const MAX_RETRIES = 3;

function retryInFreshProcess(): void {
  const tries = Number(process.env[RETRY_ENV] ?? '0');
  if (tries >= MAX_RETRIES) return;
  process.env[RETRY_ENV] = String(tries + 1);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50 + Math.floor(Math.random() * 150));
  native().execSelf(process.execPath, [process.execPath, ...process.execArgv, ...process.argv.slice(1)]);
}

/**
 * Test hook MPSH_FAKE_EAL_FAILURE, first attempt only, so tests exercise the
 * retry for real:
 *  - `va`: report an address-space collision without calling EAL (goes
 *    through the same retry decision as a real one);
 *  - `late`: really initialise EAL, then discard it as if its last step had
 *    failed, and retry: this process's memory map, locks and multi-process
 *    socket are all set up by then, and the fresh image (same pid) must not
 *    trip over what the failed one left behind.
 */
function ealInitOnce(args: string[]): { r: EalInitResult; forceRetry: boolean } {
  const fake = process.env[RETRY_ENV] ? undefined : process.env.MPSH_FAKE_EAL_FAILURE;
  if (fake === 'va') {
    const log = 'EAL: Cannot preallocate VA space for hugepage memory (fake, MPSH_FAKE_EAL_FAILURE=va)\n';
    return { r: { ok: false, errno: 12, error: 'Cannot allocate memory', log }, forceRetry: false };
  }
  if (fake === 'late') {
    const real = native().ealInit(args);
    const log = `${real.log}EAL: failing at the last step (fake, MPSH_FAKE_EAL_FAILURE=late)\n`;
    return { r: { ok: false, errno: 0, error: 'fake late failure', log }, forceRetry: true };
  }
  return { r: native().ealInit(args), forceRetry: false };
}

/**
 * Loads the addon, whose load reserves the address window DPDK maps shared
 * memory at: called first thing, before V8's heap can grow into it.
 */
export function reserveEalAddressSpace(): void {
  native();
}

export function startEal(opts: StartOptions): EalSession {
  // Not again in a retry's fresh image: the first one passed.
  if (!process.env[RETRY_ENV]) preflight(opts);
  const plan = planFor(opts);
  // Once per process, not again in a retry's fresh image.
  if (plan.notice && !process.env[RETRY_ENV]) process.stderr.write(`mpsh: ${plan.notice}\n`);
  const { r, forceRetry } = ealInitOnce(plan.args);
  // Only a secondary can get past these by retrying. Its primary need not be
  // running: a secondary may attach after the primary died while its
  // secondaries go on (the memory and config outlive it).
  if (!r.ok && ((RETRYABLE.test(r.log) && plan.attachesAsSecondary) || forceRetry)) {
    if (process.env.MPSH_EAL_LOG === '1') process.stderr.write(`mpsh: EAL init failed, retrying in a fresh image:\n${r.log}`);
    retryInFreshProcess();
  }
  if (!r.ok) {
    // A secondary that failed these every time: its primary has hugepages,
    // so the hugepage hint would mislead.
    const attempts = Number(process.env[RETRY_ENV] ?? '0') + 1;
    const hint =
      plan.attachesAsSecondary && RETRYABLE.test(r.log)
        ? `could not map the primary's memory in this process (${attempts} attempt${attempts > 1 ? 's' : ''}): start it again; MPSH_EAL_LOG=1 shows EAL's output`
        : undefined;
    discardFailedStart(plan);
    throw new EalStartError(explainInitFailure(r.log, r.error, plan.filePrefix, hint), r.log);
  }
  if (process.env.MPSH_EAL_LOG === '1') process.stderr.write(r.log);
  reportFailedVdevs(r.log, plan.args);
  // For processes that attach after this primary is gone (devargs.ts).
  if (r.processType === 'primary') {
    recordDevargs(vdevArgs(plan.args));
    // Telemetry runs in the primary only: it answers for every process.
    native().registerTelemetry();
  }
  // The processes this one starts get a retry budget of their own.
  delete process.env[RETRY_ENV];
  current = {
    processType: r.processType,
    mainLcore: r.mainLcore,
    lcores: r.lcores,
    socketId: r.socketId,
    runtimeDir: r.runtimeDir,
    filePrefix: plan.filePrefix,
    args: plan.args,
    workerLcores: r.lcores.filter((l) => l !== r.mainLcore),
    initLog: r.log,
  };
  // The moment it goes, not when a later request to it times out.
  if (r.processType === 'secondary') {
    const session = current;
    watchPrimary(r.runtimeDir, (p, how) => {
      // A primary that quits stops its workers first; one that was killed
      // leaves them forwarding, and this process stays with them.
      const workers = how === 'exited' ? workersLeft(r.runtimeDir) : [];
      if (workers.length === 0) primaryGone(p, how, session);
      else process.stderr.write(`mpsh: ${goneLine(p, how, session.filePrefix, `its group goes on (pid ${workers.join(', ')}): staying attached`)}\n`);
    });
  }
  return current;
}

/**
 * What a failed rte_eal_init made goes (runtime directory, lcore locks,
 * hugepage files), unless other processes of the prefix use it.
 */
function discardFailedStart(plan: EalPlan): void {
  removePrefixLeftovers(plan.filePrefix, ealOptionValue(plan.args, '--huge-dir') ?? hugetlbfsMount());
}

/**
 * Stops nothing by itself: callers stop their lcore loops first. Idempotent.
 * The last process of a prefix also removes the hugepage files EAL leaves
 * behind, so pages are not held after everyone has gone.
 */
export function stopEal(): void {
  if (!current) return;
  const { filePrefix, args, lcores, processType } = current;
  current = undefined;
  // A primary that failed to start over this secondary re-created the config
  // under it: EAL's clean-up would walk that (SIGFPE in librte_eal).
  if (processType === 'secondary' && !configComplete(runtimeDirOf(filePrefix))) abandoned = true;
  if (abandoned) {
    removeOwnFiles(runtimeDirOf(filePrefix), lcoreClaimDir(filePrefix), lcores);
    return;
  }
  native().ealCleanup();
  const hugeDir = ealOptionValue(args, '--huge-dir') ?? hugetlbfsMount();
  if (hugeDir) native().removeUnusedHugepageFiles(hugeDir, filePrefix);
  removeOwnFiles(runtimeDirOf(filePrefix), lcoreClaimDir(filePrefix), lcores);
  // Nobody left (no primary holds the config, no process has a socket): what
  // a killed primary left in the runtime directory goes too.
  removePrefixLeftovers(filePrefix, hugeDir);
}

export function currentEal(): EalSession | undefined {
  return current;
}

let abandoned = false;

/**
 * The primary has gone: its memory and config are nobody's, so EAL is never
 * cleaned up on them (see primaryLife.ts). What is this process's own (its
 * socket, its memseg list copies, its lcore claims) goes when it stops; the
 * mappings go with the process image.
 */
export function abandonEal(): void {
  if (!current || abandoned) return;
  abandoned = true;
  native().unwatchPrimary();
}

export type PrimaryGoneHandler = (p: PrimaryProcess, how: GoneHow, session: EalSession) => void;

/** By default a secondary goes on (a packet worker keeps forwarding) but will not clean up what is not its own. */
let primaryGone: PrimaryGoneHandler = (p, how, session) => {
  process.stderr.write(`mpsh: ${goneLine(p, how, session.filePrefix, 'this process goes on without it and will not clean its memory up')}\n`);
  abandonEal();
};

/** What this process does when its primary goes (the shell and the exporter start afresh). */
export function onPrimaryGone(handler: PrimaryGoneHandler): void {
  primaryGone = handler;
}
