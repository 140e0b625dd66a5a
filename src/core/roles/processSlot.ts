/**
 * The process slot every role's counter region embeds (ProcessSlot in
 * native/src/layouts/process_slot.h): role, id, pid, state, heartbeat, idle flag and
 * idle policy. Offsets and the names of roles and states come from C++; this
 * module is the one place that reads and writes them and checks a region's
 * stamp (liveness.ts judges whether a slot's process lives).
 */
import os from 'node:os';
import { decodeIdleReport, type IdleReport } from '../dpdk/idlePolicy.js';
import { lookupOrReserve } from '../dpdk/memzones.js';
import { native, type Memzone, type RegionLayout, type SlotHeaderLayout } from '../dpdk/native.js';

/**
 * The roles a process of a group plays and the states of its slot, as the
 * code names them; their numbers and names by value come only from C++
 * (kRoleNames, kStateNames in native/src/layouts/process_slot.h).
 */
export type Role = 'symmetric' | 'server' | 'client';
export type SlotState = 'empty' | 'starting' | 'running' | 'stopped';
/** How a slot's process ended, as the parent that saw it recorded (the supervisor's words for an ended child). */
export type SlotExit = { kind: 'exited'; code: number } | { kind: 'killed'; signal: string };

export interface SlotHeader {
  role: Role | undefined;
  id: number;
  pid: number;
  state: SlotState;
  /** Wall-clock ms when the process claimed the slot. */
  startedMs: number;
  /** CLOCK_MONOTONIC ns of the loop's last sign of life. */
  heartbeatNs: bigint;
  idle: boolean;
  /** The loop's idle policy and what it waits on, once it started. */
  idlePolicy?: IdleReport;
  /** How its process ended, as the parent that saw it recorded (recordExit). */
  exit?: SlotExit;
}

let layout: SlotHeaderLayout | undefined;

/** The header layout: offsets, and role and state names by value. */
export function headerLayout(): SlotHeaderLayout {
  return (layout ??= native().statsLayout().header);
}

/** Reads and writes the headers of the slots of one region. */
export class SlotHeaders {
  private readonly h = headerLayout();
  constructor(private readonly view: DataView) {}

  /** Marks the slot at `base` as this process's, starting. */
  claim(base: number, role: Role, id: number): void {
    const { view: v, h } = this;
    v.setUint32(base + h.state, h.states.indexOf('starting'), true);
    v.setUint32(base + h.pid, process.pid, true);
    v.setUint32(base + h.role, h.roles.indexOf(role), true);
    v.setUint32(base + h.id, id, true);
    v.setBigUint64(base + h.startedNs, BigInt(Date.now()) * 1_000_000n, true);
    v.setBigUint64(base + h.heartbeatNs, process.hrtime.bigint(), true);
    v.setUint32(base + h.idle, 0, true);
    v.setUint32(base + h.exitStatus, 0, true);
    v.setBigUint64(base + h.idlePolicy, 0n, true);
  }

  /** Records how the slot's process `pid` ended (its parent saw it), unless the slot is another's by now. */
  recordExit(base: number, pid: number, how: { kind: string; code?: number; signal?: string }): void {
    const { view: v, h } = this;
    if (v.getUint32(base + h.pid, true) !== pid || h.states[v.getUint32(base + h.state, true)] === 'empty') return;
    const signo = how.kind === 'killed' && how.signal ? (os.constants.signals as Record<string, number>)[how.signal] : undefined;
    const code = how.code ?? -1;
    const status = how.kind === 'exited' && code >= 0 ? h.exitedFlag | (code & 0xffff) : signo !== undefined ? h.killedFlag | signo : 0;
    if (status) v.setUint32(base + h.exitStatus, status, true);
  }

  setState(base: number, state: SlotState): void {
    this.view.setUint32(base + this.h.state, this.h.states.indexOf(state), true);
  }

  /** The header at `base`, or null while the slot was never claimed. */
  read(base: number): SlotHeader | null {
    const { view: v, h } = this;
    const state = (h.states[v.getUint32(base + h.state, true)] ?? 'empty') as SlotState;
    if (state === 'empty') return null;
    return {
      role: (h.roles[v.getUint32(base + h.role, true)] || undefined) as Role | undefined, // 0: none
      id: v.getUint32(base + h.id, true),
      pid: v.getUint32(base + h.pid, true),
      state,
      startedMs: Number(v.getBigUint64(base + h.startedNs, true) / 1_000_000n),
      heartbeatNs: v.getBigUint64(base + h.heartbeatNs, true),
      idle: v.getUint32(base + h.idle, true) !== 0,
      idlePolicy: decodeIdleReport(v.getBigUint64(base + h.idlePolicy, true)),
      exit: decodeExit(v.getUint32(base + h.exitStatus, true), h),
    };
  }
}

function decodeExit(status: number, h: SlotHeaderLayout): SlotExit | undefined {
  if (status & h.exitedFlag) return { kind: 'exited', code: status & 0xffff };
  if (!(status & h.killedFlag)) return undefined;
  const signo = status & 0xffff;
  const name = Object.entries(os.constants.signals).find(([, n]) => n === signo)?.[0];
  return { kind: 'killed', signal: name ?? `signal ${signo}` };
}

/** Whether a region was stamped with this build's magic and version (a reservation racing with us may not be yet). */
export function stampValid(view: DataView, layout: RegionLayout): boolean {
  return view.getUint32(0, true) === layout.magic && view.getUint32(4, true) === layout.version;
}

/** Throws when the region was stamped by another layout. */
export function requireStamp(view: DataView, layout: RegionLayout): void {
  if (!stampValid(view, layout)) {
    const magic = view.getUint32(0, true);
    throw new Error(
      `${layout.zone} in this prefix has another layout (magic ${magic.toString(16)}, version ${view.getUint32(4, true)}): is another mpsh version running?`,
    );
  }
}

/** Looks a region up, or reserves it and stamps it (whichever process of the prefix is first); `init` fills in the rest first. */
export function openRegion(layout: RegionLayout, init?: (view: DataView) => void): Memzone {
  return lookupOrReserve(layout.zone, layout.size, (z) => {
    const v = new DataView(z.buffer());
    init?.(v);
    v.setUint32(4, layout.version, true);
    v.setUint32(0, layout.magic, true); // last: readers check it
  });
}

/** Looks a region up; null when this prefix has none. */
export function lookupRegion(layout: RegionLayout): Memzone | null {
  return native().Memzone.lookup(layout.zone);
}
