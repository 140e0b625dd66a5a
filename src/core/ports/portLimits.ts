/**
 * How many queues a port can give a group whose processes share it. Beyond
 * the driver's own maximum, a tap port has a limit of the multi-process
 * channel: a secondary gets the tap queues' file descriptors from the
 * primary in one message, and DPDK 22.11 carries at most 8 descriptors in
 * one (RTE_MP_MAX_FD_NUM), RX and TX queues together. A tap port also needs
 * as many RX as TX queues, so it shares at most 4 queues.
 */
import { native } from '../dpdk/native.js';

const MP_MAX_FDS = 8;

export interface QueueLimit {
  max: number;
  /** Why, for an error line. */
  why: string;
}

/**
 * `symmetric`: N RX and N TX queues; `server`: a TX queue per client (and
 * 1 RX queue, or as many as TX queues where the port needs that).
 */
export function sharedQueueLimit(port: number, use: 'symmetric' | 'server'): QueueLimit {
  const q = native().portQueues(port);
  const driverMax = use === 'symmetric' ? Math.min(q.maxRxQueues, q.maxTxQueues) : q.maxTxQueues;
  if (q.driver === 'net_tap' && MP_MAX_FDS / 2 < driverMax) {
    return {
      max: MP_MAX_FDS / 2,
      why: `port ${port} (net_tap) can share at most ${MP_MAX_FDS / 2} queues with other processes (DPDK hands a secondary at most ${MP_MAX_FDS} tap queue descriptors, RX and TX together)`,
    };
  }
  return { max: driverMax, why: `port ${port} (${q.driver}) has at most ${driverMax} ${use === 'symmetric' ? '' : 'TX '}queues` };
}
