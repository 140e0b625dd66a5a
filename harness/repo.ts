/**
 * Where tests and benchmarks find the repository and mpsh: every process is started
 * from the repository root, mpsh through its bin/mpsh entry under this Node.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NODE_FLAGS } from '../src/core/os/nodeFlags.js';
import type { Argv } from './watchedProcess.js';

// This file runs as dist/harness/repo.js: the repository is two levels up.
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const MPSH_BIN = path.join(ROOT, 'bin', 'mpsh');

/** `mpsh <args>` as bin/mpsh runs it (its Node flags), by the Node running the bench or test. */
export const mpshArgv = (args: string[]): Argv => ({ command: process.execPath, args: [...NODE_FLAGS, MPSH_BIN, ...args] });
