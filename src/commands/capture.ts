import { UsageError } from '../core/util/errors.js';
import { MAX_COUNT, MAX_DURATION_S, type CaptureRequest, type Direction } from '../core/observe/capture.js';
import { completeNames, requireControl } from './context.js';
import { words } from './parse.js';
import type { Command } from './types.js';

const USAGE = 'usage: capture <name> <file.pcapng> [--count N] [--duration S] [--port P] [--direction rx|tx|both] [--force], or capture stop';

function wholeNumber(flag: string, v: string | undefined, min: number, max = MAX_COUNT): number {
  if (v === undefined || !/^\d+$/.test(v) || Number(v) < min)
    throw new UsageError(`${flag} needs a whole number${min > 0 ? ` from ${min}` : ''} (got ${v ?? 'nothing'})`);
  if (Number(v) > max) throw new UsageError(`${flag} is at most ${max} (got ${v})`);
  return Number(v);
}

export function parseCapture(args: string[]): { name: string; req: CaptureRequest } {
  const [name, file, ...opts] = args;
  if (!name || !file || file.startsWith('--')) throw new UsageError(USAGE);
  const req: CaptureRequest = { file, direction: 'both' };
  for (let i = 0; i < opts.length; i++) {
    const flag = opts[i]!;
    if (flag === '--force') {
      req.force = true;
      continue;
    }
    const v = opts[i + 1];
    i++;
    if (flag === '--count') req.count = wholeNumber(flag, v, 1);
    else if (flag === '--port') req.port = wholeNumber(flag, v, 0, 65535);
    else if (flag === '--duration') {
      if (v === undefined || !/^\d+(\.\d+)?$/.test(v) || Number(v) <= 0) throw new UsageError(`--duration needs seconds above 0 (got ${v ?? 'nothing'})`);
      if (Number(v) > MAX_DURATION_S)
        throw new UsageError(`--duration is at most ${MAX_DURATION_S} s (about 24 days; got ${v}): for longer, leave it out and end with 'capture stop'`);
      req.durationS = Number(v);
    } else if (flag === '--direction') {
      if (v !== 'rx' && v !== 'tx' && v !== 'both') throw new UsageError(`--direction is rx, tx or both (got ${v ?? 'nothing'})`);
      req.direction = v as Direction;
    } else throw new UsageError(`unknown capture option '${flag}': ${USAGE}`);
  }
  return { name, req };
}

export const capture: Command = {
  name: 'capture',
  args: '<name> <file> [options] | stop',
  summary: 'copy what an mpsh process receives and sends into a pcapng file',
  maxArgs: 'rest',
  details: [
    'Options: --count N, --duration S, --port P, --direction rx|tx|both, --force (replace an existing file).',
    'The named process (sym<n>, server, client<n>) copies the packets it handles into a bounded',
    'shared ring without ever waiting; the shell writes them to the file. Ends after --count packets,',
    "--duration seconds or 'capture stop', then prints 'captured <N> packets to <file>' (and any copies",
    'the process had to drop). Default: both directions, every port, until stopped. Stock processes',
    'cannot be captured. Read the file with tcpdump -r, tshark or Wireshark. An existing file is',
    'never overwritten without --force; a FIFO is refused; a failed write (a full disk) ends the',
    'capture, and the file keeps every packet written before it, whole.',
  ].join('\n'),
  complete(ctx, partial) {
    return ['stop', ...completeNames(ctx)].filter((n) => n.startsWith(partial));
  },
  run(ctx, rest) {
    const control = requireControl(ctx);
    const args = words(rest);
    if (args[0] === 'stop') {
      if (args.length > 1) throw new UsageError('capture stop takes no arguments');
      if (!control.captures.stop()) throw new UsageError('no capture is running');
      return;
    }
    const { name, req } = parseCapture(args);
    const row = control.sample().processes.find((p) => p.name === name);
    if (!row) throw new UsageError(`no process named '${name}': ps lists them`);
    ctx.session.append(
      'output',
      control.captures.start(row, req, (line) => ctx.session.append('output', line)),
    );
  },
};
