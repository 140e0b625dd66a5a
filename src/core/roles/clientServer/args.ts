/** mp_server's `-p <portmask> -n <num-clients>` and mp_client's `-n <client-id>`. */
import { UsageError } from '../../util/errors.js';
import { takeIdleOption, type IdleMode } from '../../dpdk/idlePolicy.js';
import { maxClients } from './region.js';
import { takeRingSizeOption } from './ringSize.js';

export interface ServerArgs {
  portMask: string | undefined;
  numClients: number;
  strict: boolean;
  idle: IdleMode;
  /** `--ring-size`, when given: the client rings' size (a primary makes them; a secondary checks them). */
  ringSize: number | undefined;
}

export interface ClientArgs {
  id: number;
  idle: IdleMode;
}

const SERVER_USAGE =
  'usage: mpsh server [EAL options] -- -p <portmask> -n <num-clients> [--strict-round-robin] [--idle poll|interrupt|adaptive] [--ring-size <n>]';
const CLIENT_USAGE = 'usage: mpsh client [EAL options] -- -n <client-id> [--idle poll|interrupt|adaptive]';

function whole(flag: string, v: string | undefined, usage: string): number {
  if (v === undefined || !/^\d+$/.test(v)) throw new UsageError(`${flag} needs a whole number${v === undefined ? '' : `, not '${v}'`}: ${usage}`);
  return Number(v);
}

function options(args: readonly string[], usage: string, known: string[]): Map<string, string | true> {
  const out = new Map<string, string | true>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--strict-round-robin' && known.includes(a)) out.set(a, true);
    else if ((a === '-p' || a === '-n') && known.includes(a)) out.set(a, args[++i] ?? '');
    else if (/^-[pn]./.test(a) && known.includes(a.slice(0, 2))) out.set(a.slice(0, 2), a.slice(2));
    else throw new UsageError(`unknown option '${a}': ${usage}`);
  }
  return out;
}

export function parseServerArgs(all: readonly string[]): ServerArgs {
  const { idle, rest } = takeIdleOption(all);
  const { ringSize, rest: args } = takeRingSizeOption(rest);
  const o = options(args, SERVER_USAGE, ['-p', '-n', '--strict-round-robin']);
  if (!o.has('-n')) throw new UsageError(`missing -n <num-clients>: ${SERVER_USAGE}`);
  const numClients = whole('-n', o.get('-n') as string, SERVER_USAGE);
  if (numClients < 1 || numClients > maxClients()) throw new UsageError(`-n ${numClients}: the number of clients must be 1 .. ${maxClients()}`);
  return { portMask: o.get('-p') as string | undefined, numClients, strict: o.has('--strict-round-robin'), idle, ringSize };
}

export function parseClientArgs(all: readonly string[]): ClientArgs {
  const { idle, rest: args } = takeIdleOption(all);
  if (args.some((a) => a === '--ring-size' || a.startsWith('--ring-size='))) {
    throw new UsageError("--ring-size is the server's choice: a client uses the ring its server made (give it to mpsh server)");
  }
  const o = options(args, CLIENT_USAGE, ['-n']);
  if (!o.has('-n')) throw new UsageError(`missing -n <client-id>: ${CLIENT_USAGE}`);
  const id = whole('-n', o.get('-n') as string, CLIENT_USAGE);
  if (id >= maxClients()) throw new UsageError(`client id ${id} is not below ${maxClients()}`);
  return { id, idle };
}
