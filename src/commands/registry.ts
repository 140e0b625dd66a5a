import { attach } from './attach.js';
import { detach } from './detach.js';
import { filter } from './filter.js';
import { freeze } from './freeze.js';
import { capture } from './capture.js';
import { clear } from './clear.js';
import { help } from './help.js';
import { list } from './list.js';
import { parseLine, shown, words } from './parse.js';
import { MAX_LINE_CHARS } from '../core/util/text.js';
import { kill } from './kill.js';
import { logs } from './logs.js';
import { pools } from './pools.js';
import { ps } from './ps.js';
import { restart } from './restart.js';
import { resume } from './resume.js';
import { show } from './show.js';
import { sort } from './sort.js';
import { spawn } from './spawn.js';
import { stats } from './stats.js';
import { quit } from './quit.js';
import { send } from './send.js';
import type { Command, CommandContext } from './types.js';

export const defaultCommands: readonly Command[] = [
  send,
  spawn,
  ps,
  stats,
  show,
  sort,
  filter,
  freeze,
  resume,
  kill,
  restart,
  logs,
  capture,
  pools,
  attach,
  detach,
  list,
  help,
  clear,
  quit,
];

export class CommandRegistry {
  constructor(readonly commands: readonly Command[] = defaultCommands) {}

  find(name: string): Command | undefined {
    return this.commands.find((c) => c.name === name);
  }

  /** Runs one line. Errors become one log line; nothing escapes to crash the shell. */
  async execute(ctx: CommandContext, line: string): Promise<void> {
    if (line.length > MAX_LINE_CHARS) {
      ctx.session.append('error', `line too long (over ${MAX_LINE_CHARS} characters): nothing was run`);
      return;
    }
    const parsed = parseLine(line);
    if (!parsed) return;
    const cmd = this.find(parsed.name);
    if (!cmd) {
      ctx.session.append('error', `unknown command '${shown(parsed.name)}': type help for the list`);
      return;
    }
    const extra = cmd.maxArgs === 'rest' ? [] : words(parsed.rest).slice(cmd.maxArgs);
    if (extra.length > 0) {
      const takes = cmd.maxArgs === 0 ? 'takes no arguments' : `takes at most ${cmd.maxArgs} argument${cmd.maxArgs === 1 ? '' : 's'}`;
      ctx.session.append('error', `${cmd.name} ${takes}; '${shown(extra.join(' '))}' is extra: usage: ${`${cmd.name} ${cmd.args}`.trim()}`);
      return;
    }
    try {
      await cmd.run(ctx, parsed.rest);
    } catch (err) {
      ctx.session.append('error', `${cmd.name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /**
   * Tab completion: the candidates for the word at the end of `line`, and the
   * line completed as far as the candidates agree.
   */
  complete(ctx: CommandContext, line: string): { line: string; candidates: string[] } {
    const m = /^(\s*)(\S*)$/.exec(line);
    if (m) {
      const candidates = this.commands.map((c) => c.name).filter((n) => n.startsWith(m[2]!));
      return { line: m[1]! + extend(m[2]!, candidates, true), candidates };
    }
    const parsed = parseLine(line);
    const cmd = parsed && this.find(parsed.name);
    if (!cmd?.complete) return { line, candidates: [] };
    const wm = /(\S*)$/.exec(line)!;
    const partial = wm[1]!;
    const candidates = cmd.complete(ctx, partial).filter((c) => c.startsWith(partial));
    return { line: line.slice(0, line.length - partial.length) + extend(partial, candidates, true), candidates };
  }
}

/** The longest common prefix of the candidates (plus a space when only one). */
function extend(partial: string, candidates: string[], space: boolean): string {
  if (candidates.length === 0) return partial;
  if (candidates.length === 1) return candidates[0]! + (space ? ' ' : '');
  let prefix = candidates[0]!;
  for (const c of candidates) while (!c.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix.length > partial.length ? prefix : partial;
}
