/**
 * Command-line splitting and the embedded EAL default.
 *
 * `mpsh [role] [EAL options] [-- app options]`: EAL options pass to
 * rte_eal_init unchanged. The embedded default fills in only what the user
 * left out, so `mpsh --file-prefix foo` still gets safe lcores:
 *  - `--proc-type=auto`, `--file-prefix=mpsh`, `--no-pci` (no NICs assumed)
 *  - lcore ids no other mpsh process of the prefix holds (claimed with
 *    flock), mapped onto this machine's CPUs with `--lcores`
 *  - two net_null ports when this process is about to become primary.
 */
import os from 'node:os';
import path from 'node:path';
import { UsageError } from '../util/errors.js';

export interface SplitArgs {
  eal: string[];
  app: string[];
}

/** Splits argv at the first `--` into EAL and application options. */
export function splitArgs(argv: readonly string[]): SplitArgs {
  const i = argv.indexOf('--');
  if (i < 0) return { eal: [...argv], app: [] };
  return { eal: argv.slice(0, i), app: argv.slice(i + 1) };
}

/** Value of an EAL option given as `--opt v`, `--opt=v` or `-o v`; last one wins. */
export function ealOptionValue(eal: readonly string[], ...names: string[]): string | undefined {
  let value: string | undefined;
  for (let i = 0; i < eal.length; i++) {
    const a = eal[i]!;
    for (const n of names) {
      if (a === n && i + 1 < eal.length) value = eal[i + 1];
      else if (n.startsWith('--') && a.startsWith(`${n}=`)) value = a.slice(n.length + 1);
      else if (!n.startsWith('--') && a.startsWith(n) && a.length > n.length) value = a.slice(n.length);
    }
  }
  return value;
}

export function hasEalOption(eal: readonly string[], ...names: string[]): boolean {
  return eal.some((a) => names.some((n) => a === n || a.startsWith(`${n}=`) || (!n.startsWith('--') && a.startsWith(n))));
}

export function filePrefixOf(eal: readonly string[]): string {
  return ealOptionValue(eal, '--file-prefix') ?? 'mpsh';
}

/** Where EAL keeps a prefix's runtime files (same rule as eal_get_runtime_dir). */
export function runtimeDirOf(prefix: string): string {
  const base = process.getuid?.() === 0 ? '/var/run' : (process.env.XDG_RUNTIME_DIR ?? '/tmp');
  return path.join(base, 'dpdk', prefix);
}

/** Directory holding mpsh's lcore claims for a prefix. */
export function lcoreClaimDir(prefix: string): string {
  return path.join(runtimeDirOf(prefix), 'mpsh');
}

/** First lcore id mpsh's defaults hand out: above the ids stock samples are usually given. */
export const FIRST_DEFAULT_LCORE = 32;

export interface DefaultPlanInput {
  userEal: readonly string[];
  /** How many lcores this process wants (main + workers). */
  lcoreCount: number;
  /** CPU list for each claimed lcore, e.g. '(0-1)' or '1'. */
  cpuFor: (index: number) => string;
  claimLcores: (count: number) => number[];
  primaryRunning: boolean;
  /** Live processes of the prefix while no primary runs (secondaries that outlived it). */
  orphans: number[];
  /** Default ports for a process about to become primary. */
  defaultVdevs: string[];
}

export interface EalPlan {
  args: string[];
  filePrefix: string;
  claimed: number[];
  /** Whether this process means to attach to an existing prefix (secondary, or auto with a primary up). */
  attachesAsSecondary: boolean;
  /** Something the user should know about the plan (auto became secondary). */
  notice?: string;
}

/** Completes the user's EAL options with the embedded default. */
export function planEalArgs(input: DefaultPlanInput): EalPlan {
  let user = input.userEal;
  // A primary of a prefix whose secondaries outlived the last one would
  // re-create the shared config under them (it is what --proc-type=auto
  // does once the config lock is free): the survivors then fail or spin in
  // their own clean-up. Attach to them instead, or refuse.
  let notice: string | undefined;
  if (!input.primaryRunning && input.orphans.length > 0) {
    const prefix = filePrefixOf(user);
    const who = `${input.orphans.length} of its processes still run (pid ${input.orphans.join(', ')})`;
    const asked = ealOptionValue(user, '--proc-type') ?? 'auto';
    if (asked === 'primary') {
      throw new UsageError(
        `file prefix '${prefix}' has lost its primary but ${who}: a new primary would re-create the memory they use — attach with --proc-type=secondary, or stop them first`,
      );
    }
    if (asked === 'auto') {
      user = [...user.filter((a, i) => !/^--proc-type(=|$)/.test(a) && user[i - 1] !== '--proc-type'), '--proc-type=secondary'];
      notice = `the primary of file prefix '${prefix}' is gone and ${who}: attaching as a secondary`;
    }
  }
  const args = [...user];
  if (!hasEalOption(user, '--proc-type')) args.push('--proc-type=auto');
  if (!hasEalOption(user, '--file-prefix')) args.push('--file-prefix=mpsh');
  const hasDevices = hasEalOption(user, '-a', '--allow', '-b', '--block', '--no-pci', '--vdev');
  if (!hasDevices) args.push('--no-pci');
  let claimed: number[] = [];
  if (!hasEalOption(user, '-l', '-c', '--lcores')) {
    claimed = input.claimLcores(input.lcoreCount);
    args.push(`--lcores=${claimed.map((id, i) => `${id}@${input.cpuFor(i)}`).join(',')}`);
  }
  const procType = ealOptionValue(user, '--proc-type') ?? 'auto';
  const becomingPrimary = procType === 'primary' || (procType === 'auto' && !input.primaryRunning);
  if (!hasDevices && becomingPrimary) for (const v of input.defaultVdevs) args.push(`--vdev=${v}`);
  return { args, filePrefix: filePrefixOf(args), claimed, attachesAsSecondary: !becomingPrimary, notice };
}

/** The CPUs this process may run on, as an EAL cpuset: '(0-1)'. */
export function allCpusSet(): string {
  const n = os.availableParallelism();
  return n <= 1 ? '0' : `(0-${n - 1})`;
}
