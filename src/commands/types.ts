/**
 * One object per command; help, dispatch and Tab completion all derive from
 * the registry (as DPDK's simple_mp does with its cmdline context).
 */
import type { GroupControl } from '../core/shell/control.js';
import type { Session } from '../core/shell/session.js';
import type { SimpleMpChannel } from '../core/roles/simpleMp/messages.js';

/** What a command may touch. Tests build a fake one. */
export interface CommandContext {
  session: Session;
  simpleMp: SimpleMpChannel | null;
  /** Spawning, stopping and watching the group; null where there is none (tests). */
  control: GroupControl | null;
  /** Every registered command, for help. */
  commands: readonly Command[];
  /** Ends the shell gracefully (the one exit path); never resolves once the process is leaving. */
  requestQuit(): void | Promise<void>;
}

export interface Command {
  name: string;
  /** Usage after the name, e.g. '<text>'. */
  args: string;
  summary: string;
  /** More lines for `help <name>`. */
  details?: string;
  /**
   * How many words may follow the name; the registry refuses more, so no
   * command silently ignores extra arguments. 'rest': the command reads the
   * rest of the line itself and must refuse what it does not use (send's
   * text, spawn's options). Required, so a new command has to decide.
   */
  maxArgs: number | 'rest';
  /** Candidates for the word being typed after the name. */
  complete?(ctx: CommandContext, partial: string): string[];
  run(ctx: CommandContext, rest: string): void | Promise<void>;
}
