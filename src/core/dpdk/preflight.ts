/**
 * Checks made before EAL (or mpsh's lcore claims) touch anything: a start
 * that cannot work is refused in one accurate line and leaves no file
 * behind (runtime directory, lcore locks, hugepage files).
 */
import fs from 'node:fs';
import { UsageError } from '../util/errors.js';
import { refuseNonRegularDevargsFiles, vdevArgs } from './devargs.js';
import { ealOptionValue, filePrefixOf, hasEalOption, runtimeDirOf } from './ealOptions.js';
import { native } from './native.js';
import { hugetlbfsMount, liveProcessesOf } from './prefixFiles.js';

export interface PreflightOptions {
  userEal: readonly string[];
  /** What to do when a secondary finds no primary (the exporter has no --proc-type=auto to offer). */
  noPrimaryHint?: string;
}

export function preflight(opts: PreflightOptions): void {
  const eal = opts.userEal;
  const prefix = filePrefixOf(eal);
  for (const v of vdevArgs(eal)) refuseNonRegularDevargsFiles(v);
  requireHugepageAccess(eal);
  const procType = ealOptionValue(eal, '--proc-type');
  if (procType !== undefined && !['primary', 'secondary', 'auto'].includes(procType))
    throw new UsageError(`--proc-type is primary, secondary or auto (got ${procType})`);
  // A secondary needs a primary, or the processes that outlived it (they
  // keep its memory): else EAL fails only after making the runtime
  // directory, and mpsh its lcore locks.
  const dir = runtimeDirOf(prefix);
  if (procType === 'secondary' && !native().primaryRunning(dir) && liveProcessesOf(dir).length === 0) {
    throw new UsageError(`no primary process is running for file prefix '${prefix}': ${opts.noPrimaryHint ?? 'start one first, or use --proc-type=auto'}`);
  }
}

/**
 * EAL maps its memory from files in the hugetlbfs mount. Without write
 * access there (not root) it fails after making the runtime directory, and
 * says the hugepages are missing while the cause is permission.
 */
function requireHugepageAccess(eal: readonly string[]): void {
  if (process.getuid?.() === 0 || hasEalOption(eal, '--no-huge')) return;
  const dir = ealOptionValue(eal, '--huge-dir') ?? hugetlbfsMount();
  if (dir === undefined) return; // none mounted: EAL says so
  try {
    fs.accessSync(dir, fs.constants.W_OK);
  } catch {
    throw new UsageError(
      `permission denied: this user (uid ${process.getuid?.()}) cannot create hugepage files in ${dir}, where DPDK maps its memory: run mpsh as root`,
    );
  }
}
