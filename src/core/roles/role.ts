/** The roles a process of a group plays; C++ numbers and names them (kRoleNames in native/src/process_slot.h). */
export type Role = 'symmetric' | 'server' | 'client';
export const ROLES: readonly Role[] = ['symmetric', 'server', 'client'];
