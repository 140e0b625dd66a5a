import type { GroupControl } from '../core/shell/control.js';
import { UsageError } from '../core/util/errors.js';
import type { CommandContext } from './types.js';

export function requireControl(ctx: CommandContext): GroupControl {
  if (!ctx.control) throw new UsageError('this shell has no process group');
  return ctx.control;
}

/** Completion of process names, for kill, restart and logs. */
export function completeNames(ctx: CommandContext): string[] {
  return ctx.control?.names() ?? [];
}
