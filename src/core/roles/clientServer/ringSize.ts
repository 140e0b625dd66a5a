/**
 * `--ring-size <n>`: the size of each client ring MProc_Client_<i>_RX. Clients
 * (stock and mpsh) look their ring up by name, so the size is only the
 * creator's choice: the primary that makes the group (`mpsh server`, or the
 * shell before `spawn server`). An rte_ring holds one entry less than its
 * size.
 *
 * The default holds a 2,000-packet burst spread over 2 idle clients (1,000
 * each); stock's mp_server uses 128 (CLIENT_QUEUE_RINGSIZE), which
 * `--ring-size 128` gives back. A larger ring absorbs what arrives while a
 * client wakes up, but under sustained overload it adds queueing delay (up to
 * ring size / client rate) before packets are dropped.
 */
import { UsageError } from '../../util/errors.js';
import { takeOption } from '../../util/options.js';

export const DEFAULT_RING_SIZE = 2048;
export const STOCK_RING_SIZE = 128;
export const MIN_RING_SIZE = 64;
export const MAX_RING_SIZE = 16384;

const RULE = `a power of two from ${MIN_RING_SIZE} to ${MAX_RING_SIZE}`;
/** What `--ring-size` wants, for "needs ..." messages. */
export const RING_SIZE_NEEDS = `${RULE}, e.g. --ring-size ${DEFAULT_RING_SIZE}`;

export function parseRingSize(value: string | undefined, flag = '--ring-size'): number {
  if (value === undefined || value === '') throw new UsageError(`${flag} needs ${RING_SIZE_NEEDS}`);
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (n >= MIN_RING_SIZE && n <= MAX_RING_SIZE && (n & (n - 1)) === 0) return n;
  throw new UsageError(
    `${flag} ${value}: the client ring size must be ${RULE}${nearest(n)} (${DEFAULT_RING_SIZE} is the default, ${STOCK_RING_SIZE} stock's; a ring holds one packet less)`,
  );
}

/** What to give instead of a number that is no valid size. */
function nearest(n: number): string {
  if (Number.isNaN(n)) return '';
  if (n < MIN_RING_SIZE) return `; ${MIN_RING_SIZE} is the smallest`;
  if (n > MAX_RING_SIZE) return `; ${MAX_RING_SIZE} is the largest`;
  const below = 2 ** Math.floor(Math.log2(n));
  return `, e.g. ${below} or ${below * 2}`;
}

/**
 * Takes `--ring-size <n>` / `--ring-size=<n>` out of an application argument
 * list; returns the size (undefined when not given) and the other arguments.
 */
export function takeRingSizeOption(args: readonly string[]): { ringSize: number | undefined; rest: string[] } {
  const { value, rest } = takeOption(args, '--ring-size', parseRingSize);
  return { ringSize: value, rest };
}

/** The size of a ring made without RING_F_EXACT_SZ, from its usable capacity. */
export const ringSizeOf = (ring: { capacity: number }): number => ring.capacity + 1;
