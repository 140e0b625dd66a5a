/**
 * Whether the process in a slot lives, and the state to show for it: the
 * one judgement `ps`, the panel and a role claiming a slot share (C++ judges
 * the same way in ProcessSlot::StateName, native/src/layouts/process_slot.h).
 * A slot's process lives while its pid names a process that has not exited
 * (os/pids.ts); a running one whose loop stopped beating is stalled.
 */
import { native } from '../dpdk/native.js';
import { pidAlive } from '../os/pids.js';
import type { SlotHeader } from './processSlot.js';
import { describeState, isAlive, type ManagedChild } from './supervisor.js';

/**
 * When liveness is judged (CLOCK_MONOTONIC ns), and how much heartbeat
 * silence means a loop hangs: a running loop beats at least every few ms,
 * busy or idle (native kStalledAfterMs, which the server's distribution uses too).
 */
export interface Liveness {
  nowNs: bigint;
  stalledAfterNs: bigint;
}

let stalledNs: bigint | undefined;
export function liveNow(): Liveness {
  stalledNs ??= BigInt(native().statsLayout().stalledAfterMs) * 1_000_000n;
  return { nowNs: process.hrtime.bigint(), stalledAfterNs: stalledNs };
}

/**
 * "stalled" for a process that says it is running, is alive, and whose loop
 * has not shown a sign of life for a while (stuck inside DPDK, e.g. in a
 * pool another process died in the middle of); otherwise `state` as given.
 */
export function withHeartbeat(state: string, heartbeatNs: bigint, l: Liveness = liveNow()): string {
  return state === 'running' && l.nowNs - heartbeatNs > l.stalledAfterNs ? 'stalled' : state;
}

/** Whether another live process holds the slot (so this one must not take it). */
export function heldByOther(slot: SlotHeader | null): slot is SlotHeader {
  return slot !== null && slot.pid !== process.pid && slot.state !== 'stopped' && pidAlive(slot.pid);
}

/**
 * The state to show for a slot and the shell's child of the same name: the
 * child's while it is the slot's process (or the slot is someone else's
 * old one and the child lives), else the slot's ('dead' when its process
 * is gone); 'stalled' when the slot's loop stopped beating; 'unknown' when
 * there is neither.
 */
export function stateOf(slot: SlotHeader | null, child: ManagedChild | undefined, l: Liveness = liveNow()): string {
  if (child && (!slot || child.pid === slot.pid || isAlive(child))) {
    const s = describeState(child.state);
    return slot && child.pid === slot.pid ? withHeartbeat(s, slot.heartbeatNs, l) : s;
  }
  if (!slot) return 'unknown';
  // How it ended, in the words ps uses for a child (telemetry says the same).
  if (slot.exit) return describeState(slot.exit);
  if (slot.state === 'stopped') return 'stopped';
  return pidAlive(slot.pid) ? withHeartbeat(slot.state, slot.heartbeatNs, l) : 'dead';
}
