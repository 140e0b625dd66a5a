/** symmetric_mp's application options: -p <portmask> --num-procs <n> --proc-id <id>. */
import { UsageError } from '../../util/errors.js';
import { takeIdleOption, type IdleMode } from '../../dpdk/idlePolicy.js';

export interface SymmetricArgs {
  portMask: string | undefined;
  numProcs: number | undefined;
  procId: number;
  idle: IdleMode;
}

function count(name: string, v: string | undefined): number {
  if (v === undefined) throw new UsageError(`--${name} needs a value`);
  if (!/^\d+$/.test(v)) throw new UsageError(`--${name} must be a whole number, not '${v}'`);
  return Number(v);
}

/** Accepts the stock spellings: `-p 3`, `-p3`, `--num-procs 2`, `--num-procs=2`. */
export function parseSymmetricArgs(all: readonly string[]): SymmetricArgs {
  const { idle, rest: args } = takeIdleOption(all);
  let portMask: string | undefined;
  let numProcs: number | undefined;
  let procId: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => inline ?? args[++i];
    if (flag === '-p') portMask = value();
    else if (flag.startsWith('-p') && !flag.startsWith('--')) portMask = flag.slice(2);
    else if (flag === '--num-procs') numProcs = count('num-procs', value());
    else if (flag === '--proc-id') procId = count('proc-id', value());
    else
      throw new UsageError(
        `unknown symmetric option '${a}': usage: mpsh symmetric [EAL options] -- -p <portmask> --num-procs <n> --proc-id <id> [--idle poll|interrupt|adaptive]`,
      );
  }
  if (procId === undefined) throw new UsageError('missing --proc-id <id> (0 .. num-procs-1)');
  if (numProcs === 0) throw new UsageError('--num-procs must be at least 1');
  if (numProcs !== undefined && procId >= numProcs) {
    throw new UsageError(`--proc-id ${procId} is not below --num-procs ${numProcs}: ids run from 0 to ${numProcs - 1}`);
  }
  return { portMask, numProcs, procId, idle };
}
