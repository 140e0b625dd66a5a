/**
 * `--idle <poll|interrupt|adaptive>`: what a packet loop does when nothing
 * arrives (native/src/idle/idle_policy.h has the one implementation). Every role
 * takes it after `--`; the loop reports in its stats slot which policy it
 * runs and what it waits on.
 */
import { takeOption } from '../util/options.js';
import { UsageError } from '../util/errors.js';

export const IDLE_MODES = ['poll', 'interrupt', 'adaptive'] as const;
export type IdleMode = (typeof IDLE_MODES)[number];
export const DEFAULT_IDLE: IdleMode = 'adaptive';

export function parseIdleMode(value: string | undefined, flag = '--idle'): IdleMode {
  if (value === undefined || value === '') throw new UsageError(`${flag} needs a policy: ${IDLE_MODES.join(', ')}`);
  if (!(IDLE_MODES as readonly string[]).includes(value)) {
    throw new UsageError(
      `${flag} ${value}: the idle policy is one of ${IDLE_MODES.join(', ')} (poll never sleeps; interrupt sleeps until packets come; adaptive, the default, polls a while after traffic, then sleeps)`,
    );
  }
  return value as IdleMode;
}

/**
 * Takes `--idle <mode>` / `--idle=<mode>` out of an application argument
 * list; returns the mode (default adaptive) and the other arguments.
 */
export function takeIdleOption(args: readonly string[]): { idle: IdleMode; rest: string[] } {
  const { value, rest } = takeOption(args, '--idle', (v) => parseIdleMode(v));
  return { idle: value ?? DEFAULT_IDLE, rest };
}

const WAITS = ['polls', 'tap queue fds', 'producer wake-up', 'short sleeps'];

export interface IdleReport {
  mode: IdleMode;
  /** What an idle loop waits on: tap queue fds, producer wake-up, short sleeps, or polls (never waits). */
  waitsOn: string;
  /** adaptive: the period (us) of the steady flow it wakes ahead of; 0 while it sees none. */
  forecastUs: number;
}

/** Decodes the report word a loop writes into its slot (IdleReport() in idle_policy.h); undefined before it did. */
export function decodeIdleReport(word: bigint): IdleReport | undefined {
  const mode = IDLE_MODES[Number(word & 0xffn) - 1];
  if (!mode) return undefined;
  return {
    mode,
    waitsOn: mode === 'poll' ? 'polls' : (WAITS[Number((word >> 8n) & 0xffn)] ?? 'unknown'),
    forecastUs: Number(word >> 32n),
  };
}
