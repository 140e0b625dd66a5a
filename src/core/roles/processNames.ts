/**
 * The names of a group's processes, as ps, the panel, commands, metrics and
 * telemetry show them: sym<proc-id>, server, client<id>. Built and parsed
 * here only (C++ has the twin for telemetry: ProcessName in
 * native/src/observe/telemetry.cc).
 */
import type { Role } from './processSlot.js';

export const SERVER_NAME = 'server';
export const symmetricName = (procId: number): string => `sym${procId}`;
export const clientName = (id: number): string => `client${id}`;

/** The role and id (proc-id, client id, 0 for the server) a name stands for; null for any other name. */
export function parseProcessName(name: string): { role: Role; id: number } | null {
  if (name === SERVER_NAME) return { role: 'server', id: 0 };
  const m = /^(sym|client)(\d+)$/.exec(name);
  if (!m) return null;
  return { role: m[1] === 'sym' ? 'symmetric' : 'client', id: Number(m[2]) };
}
