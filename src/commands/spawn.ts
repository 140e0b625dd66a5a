import { maxClients } from '../core/roles/clientServer/region.js';
import { UsageError } from '../core/util/errors.js';
import { DEFAULT_IDLE, parseIdleMode, type IdleMode } from '../core/dpdk/idlePolicy.js';
import { DEFAULT_RING_SIZE, parseRingSize, RING_SIZE_NEEDS, STOCK_RING_SIZE } from '../core/roles/clientServer/ringSize.js';
import type { GroupControl } from '../core/shell/control.js';
import type { CommandContext } from './types.js';
import { requireControl } from './context.js';
import { words } from './parse.js';
import type { Command } from './types.js';

const USAGE = [
  'spawn symmetric <N> [--portmask <hex>] [--idle <policy>]',
  'spawn server --clients <N> [--portmask <hex>] [--start-clients] [--strict-round-robin] [--idle <policy>] [--ring-size <n>]',
  'spawn client <id> [--idle <policy>]',
].join(' | ');

const NEEDS: Record<string, string> = {
  '--portmask': 'a hexadecimal mask, e.g. --portmask 3 for ports 0 and 1',
  '--clients': 'the number of clients, e.g. --clients 2',
  '--idle': 'a policy: poll, interrupt or adaptive',
  '--ring-size': RING_SIZE_NEEDS,
};

interface Parsed {
  count?: number;
  flags: Set<string>;
  values: Map<string, string>;
}

/** Words after the kind: one number, `--flag`s, and `--opt <value>` / `--opt=value`. */
function parse(args: string[], valued: string[], flags: string[]): Parsed {
  const out: Parsed = { flags: new Set(), values: new Map() };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const eq = a.indexOf('=');
    const name = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    if (valued.includes(name)) {
      const v = eq > 0 && a.startsWith('--') ? a.slice(eq + 1) : args[++i];
      if (v === undefined || v === '') throw new UsageError(`${name} needs ${NEEDS[name] ?? 'a value'}`);
      out.values.set(name, v);
    } else if (flags.includes(a)) out.flags.add(a);
    else if (/^\d+$/.test(a) && out.count === undefined) out.count = Number(a);
    else throw new UsageError(`unexpected '${a}': usage: ${USAGE}`);
  }
  return out;
}

const idleOf = (p: Parsed): IdleMode => (p.values.has('--idle') ? parseIdleMode(p.values.get('--idle')) : DEFAULT_IDLE);

function number(text: string | undefined, what: string): number {
  if (text === undefined || !/^\d+$/.test(text)) throw new UsageError(`${what} must be a whole number${text ? `, not '${text}'` : ''}`);
  return Number(text);
}

async function symmetric(ctx: CommandContext, control: GroupControl, args: string[]): Promise<void> {
  const p = parse(args, ['--portmask', '--idle'], []);
  if (p.count === undefined) throw new UsageError(`how many workers? usage: ${USAGE}`);
  const n = p.count;
  const idle = idleOf(p);
  const r = await control.symmetric.spawn(
    n,
    p.values.get('--portmask'),
    () => ctx.session.append('info', `configuring ports for ${n} queue${n === 1 ? '' : 's'} and starting ${n} worker${n === 1 ? '' : 's'}…`),
    idle,
  );
  for (const note of r.notes) ctx.session.append('info', note);
  const pids = r.names.map((name) => `${name} (pid ${control.supervisor.get(name)?.pid})`);
  ctx.session.append('output', `forwarding on ports ${r.ports.join(', ')}: ${pids.join(', ')}`);
}

async function server(ctx: CommandContext, control: GroupControl, args: string[]): Promise<void> {
  const p = parse(args, ['--clients', '--portmask', '--idle', '--ring-size'], ['--start-clients', '--strict-round-robin']);
  if (p.count !== undefined) throw new UsageError(`give the number of clients as --clients ${p.count}`);
  if (!p.values.has('--clients')) throw new UsageError(`spawn server needs --clients <N>, the number of clients (1 .. ${maxClients()}): usage: ${USAGE}`);
  const numClients = number(p.values.get('--clients'), '--clients');
  const ringSize = p.values.has('--ring-size') ? parseRingSize(p.values.get('--ring-size')) : undefined;
  const r = await control.clientServer.spawnServer({
    numClients,
    portMask: p.values.get('--portmask'),
    startClients: p.flags.has('--start-clients'),
    strict: p.flags.has('--strict-round-robin'),
    idle: idleOf(p),
    ringSize,
  });
  for (const note of r.notes) ctx.session.append('info', note);
  const pids = r.started.map((name) => `${name} (pid ${control.supervisor.get(name)?.pid})`);
  ctx.session.append('output', `serving ${numClients} client${numClients === 1 ? '' : 's'} on ports ${r.ports.join(', ')}: ${pids.join(', ')}`);
}

async function client(ctx: CommandContext, control: GroupControl, args: string[]): Promise<void> {
  const usage = 'usage: spawn client <id> [--idle <policy>]';
  let p: Parsed;
  try {
    p = parse(args, ['--idle'], []);
  } catch (err) {
    // A value missing after --idle says so; any other extra word gets the usage.
    if (err instanceof UsageError && err.message.startsWith('unexpected')) throw new UsageError(usage);
    throw err;
  }
  if (p.count === undefined) throw new UsageError(usage);
  const name = await control.clientServer.spawnClient(p.count, idleOf(p));
  ctx.session.append('output', `${name} started (pid ${control.supervisor.get(name)?.pid})`);
}

const KINDS: Record<string, (ctx: CommandContext, control: GroupControl, args: string[]) => Promise<void>> = { symmetric, server, client };

/** spawn symmetric | server | client: start processes of the group as children of this shell. */
export const spawn: Command = {
  name: 'spawn',
  args: 'symmetric|server|client …',
  maxArgs: 'rest',
  summary: 'start symmetric workers, or a client-server group (help spawn)',
  details: [
    '  spawn symmetric <N> [--portmask <hex>]',
    '      configure the ports (default: all) for N queues and start workers sym0..sym<N-1>,',
    '      each polling its own queue of every port and forwarding 0<->1, 2<->3, ...',
    '  spawn server --clients <N> [--portmask <hex>] [--start-clients] [--strict-round-robin] [--ring-size <n>]',
    '      create the client-server group (ports, MProc_pktmbuf_pool, MProc_Client_<i>_RX rings,',
    '      MProc_port_info) and start the server; --start-clients starts client0..client<N-1> first;',
    '      --strict-round-robin keeps sending to clients that are gone, as the stock server does;',
    `      --ring-size: each client ring's size, a power of two 64 .. 16384 (default ${DEFAULT_RING_SIZE}, stock's ${STOCK_RING_SIZE});`,
    '      a ring holds one packet less; larger ones absorb bursts into idle clients but, under',
    '      sustained overload, queue longer (up to size / client rate) before dropping',
    '  spawn client <id>',
    '      start client <id> of an existing group',
    '  --idle poll|interrupt|adaptive (every form)',
    '      what a loop does with no packets: poll never sleeps (a core at 100%, as stock);',
    '      interrupt sleeps until packets come (tap queue fds, a wake-up from the server);',
    '      adaptive (default) polls 300 us after traffic, then sleeps like interrupt',
    'This shell must be the primary of its prefix. Children run detached: ps, stats, kill,',
    'restart and logs work on them; quit stops them first.',
  ].join('\n'),
  complete: (_ctx, partial) =>
    [
      'symmetric',
      'server',
      'client',
      '--portmask',
      '--clients',
      '--start-clients',
      '--strict-round-robin',
      '--idle',
      'poll',
      'interrupt',
      'adaptive',
      '--ring-size',
    ].filter((w) => w.startsWith(partial)),
  async run(ctx, rest) {
    const control = requireControl(ctx);
    const [kind, ...args] = words(rest);
    const run = kind !== undefined ? KINDS[kind] : undefined;
    if (!run) throw new UsageError(kind ? `cannot spawn '${kind}': usage: ${USAGE}` : `usage: ${USAGE}`);
    await run(ctx, control, args);
  },
};
