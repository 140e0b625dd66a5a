/**
 * Staying attached to a prefix across its primary's life: the shell and the
 * exporter wait for a primary before EAL starts (one that is stopped, one
 * that has gone and is being restarted), and start afresh in a new process
 * image when theirs goes (primaryLife.ts says why a fresh image).
 */
import readline from 'node:readline';
import { abandonEal, checkFilePrefix, onPrimaryGone, type EalSession } from './eal.js';
import { removePrefixLeftovers } from './prefixFiles.js';
import { filePrefixOf, hasEalOption, runtimeDirOf } from './ealOptions.js';
import { isShuttingDown, onShutdown, restartAfresh, shutdown } from './lifecycle.js';
import { GONE_PRIMARY_ENV, goneLine, primaryOf, waitForPrimary } from './primaryLife.js';

const say = (line: string) => process.stderr.write(`mpsh: ${line}\n`);

/** The user's EAL options, as a secondary. */
function asSecondary(userEal: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < userEal.length; i++) {
    if (userEal[i] === '--proc-type') i++;
    else if (!userEal[i]!.startsWith('--proc-type=')) out.push(userEal[i]!);
  }
  return [...out, '--proc-type=secondary'];
}

export interface UntilPrimaryOptions {
  /** A monitor (the exporter) waits for a primary that is not there yet; the shell becomes one. */
  waitWhenAbsent: boolean;
  /** Lines typed while waiting: `quit` leaves, anything else is told why nothing runs yet. */
  input?: NodeJS.ReadableStream;
  /** Added to the waiting line. */
  hint?: string;
}

/**
 * Waits, when there is reason to, for a primary that runs. Returns the EAL
 * options to start with (as a secondary after a wait), or null when the
 * process is leaving instead.
 */
export async function untilPrimary(userEal: string[], opts: UntilPrimaryOptions): Promise<string[] | null> {
  const prefix = filePrefixOf(userEal);
  checkFilePrefix(prefix);
  const dir = runtimeDirOf(prefix);
  const gone = process.env[GONE_PRIMARY_ENV];
  delete process.env[GONE_PRIMARY_ENV]; // not for the processes this one starts
  const now = primaryOf(dir);
  const wait = gone !== undefined || now?.stopped === true || (now === null && opts.waitWhenAbsent);
  if (!wait) return userEal;
  let waiting = true;
  // Leaving before any primary came: the last one out removes what the old one left.
  onShutdown('prefix files', () => {
    if (waiting) removePrefixLeftovers(prefix);
  });
  const stopInput = opts.input ? answerWhileWaiting(opts.input, prefix) : () => {};
  const p = await waitForPrimary(dir, prefix, {
    notPid: gone !== undefined ? Number(gone) : undefined,
    say,
    cancelled: isShuttingDown,
    hint: opts.hint ?? (opts.input ? ' (start the app; `quit` or Ctrl-C leaves)' : undefined),
  });
  waiting = false;
  stopInput();
  if (!p) return null;
  say(`primary ${p.command.split(' ')[0]} (pid ${p.pid}) is up: attaching`);
  return hasEalOption(userEal, '--proc-type') || gone !== undefined || opts.waitWhenAbsent ? asSecondary(userEal) : userEal;
}

function answerWhileWaiting(input: NodeJS.ReadableStream, prefix: string): () => void {
  const rl = readline.createInterface({ input, terminal: false });
  rl.on('line', (line) => {
    const word = line.trim();
    if (word === 'quit' || word === 'exit') void shutdown(0);
    else if (word !== '') say(`not attached: waiting for a primary of file prefix '${prefix}'; \`quit\` leaves`);
  });
  rl.on('close', () => {
    if (!closing) void shutdown(0); // end of input while waiting: nothing left to do
  });
  let closing = false;
  return () => {
    closing = true;
    rl.close();
  };
}

/**
 * When the primary goes: one line, EAL left alone, then a fresh image of
 * this process that waits for the next primary (`keepFds` survive it).
 */
export function restartWhenPrimaryGoes(keepFds: () => number[] = () => []): void {
  onPrimaryGone((p, how, session: EalSession) => {
    say(goneLine(p, how, session.filePrefix, 'detached from its memory; waiting for a new primary'));
    abandonEal();
    void restartAfresh({ [GONE_PRIMARY_ENV]: String(p.pid) }, keepFds());
  });
}
