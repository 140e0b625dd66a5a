/**
 * The shell's guardian: a small process that outlives a shell killed with
 * SIGKILL (or by anything else no handler sees) and does what the shell's
 * own clean-up would have done: stops the shell's children and removes the
 * files the dead processes leave (their sockets, their memseg list copies,
 * and once nobody uses the prefix, its hugepage files and runtime directory).
 *
 * Why a process and not PR_SET_PDEATHSIG in the children: a secondary shell
 * leaves the workers it restarted running when it quits (they belong to the
 * primary's group), so a child's fate depends on how the shell ended; and a
 * dead process cannot remove its own files. The shell tells the guardian, over
 * a pipe, its prefix and each child it starts; a graceful end says `done`.
 * The pipe's end without `done` is the shell's death: the kernel closes it
 * whatever killed the shell. The guardian runs in its own session (a Ctrl-C
 * or a hang-up at the terminal is the shell's to handle), reads nothing else,
 * and costs no CPU while it waits.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { procStat } from '../os/procInfo.js';

/** The environment variable the guardian finds the shell's pid in. */
export const GUARDED_PID_ENV = 'MPSH_GUARDED_PID';

/** A process as the guardian knows it: a pid and its start time (a reused pid is someone else). */
export interface KnownProcess {
  pid: number;
  startTime: number;
}

export function knownProcess(pid: number): KnownProcess | null {
  const st = procStat(pid);
  return st ? { pid, startTime: st.startTime } : null;
}

/** The guardian's side of the pipe: one line per message. */
export type GuardianMessage = { kind: 'prefix'; filePrefix: string; hugeDir: string | undefined } | { kind: 'child'; pid: number } | { kind: 'done' };

export function encodeMessage(m: GuardianMessage): string {
  switch (m.kind) {
    case 'prefix':
      return `prefix\t${m.filePrefix}\t${m.hugeDir ?? ''}\n`;
    case 'child':
      return `child\t${m.pid}\n`;
    case 'done':
      return 'done\n';
  }
}

/** Null for a line that is not a message (the guardian ignores it). */
export function decodeMessage(line: string): GuardianMessage | null {
  const [kind, a, b] = line.split('\t');
  if (kind === 'prefix' && a) return { kind, filePrefix: a, hugeDir: b || undefined };
  if (kind === 'child' && a && /^\d+$/.test(a)) return { kind, pid: Number(a) };
  if (kind === 'done') return { kind };
  return null;
}

/** The shell's handle on its guardian. */
export class Guardian {
  private constructor(private readonly proc: ChildProcess) {}

  /** Starts the guardian; it holds nothing of the shell's but the pipe's read end. */
  static start(): Guardian {
    const program = path.join(path.dirname(fileURLToPath(import.meta.url)), 'guardianProcess.js');
    const proc = spawn(process.execPath, [program], {
      stdio: ['pipe', 'ignore', 'ignore'],
      detached: true,
      env: { ...process.env, [GUARDED_PID_ENV]: String(process.pid) },
    });
    // Without one (no process could be made), the shell still runs; only an unseen death would strand its children.
    proc.on('error', (err) => process.stderr.write(`mpsh: no guardian (${err.message}): if this shell is killed with SIGKILL, its children stay\n`));
    // Neither the process nor its pipe keeps the shell's event loop alive.
    proc.unref();
    proc.stdin!.on('error', () => {
      // the guardian is gone: nothing to tell it any more
    });
    (proc.stdin as unknown as { unref?: () => void }).unref?.();
    return new Guardian(proc);
  }

  private tell(m: GuardianMessage): void {
    if (this.proc.stdin?.writable) this.proc.stdin.write(encodeMessage(m));
  }

  /** The prefix whose files are the shell's (with the hugetlbfs directory EAL uses). */
  watchPrefix(filePrefix: string, hugeDir: string | undefined): void {
    this.tell({ kind: 'prefix', filePrefix, hugeDir });
  }

  /** A process the shell started: stopped if the shell dies. */
  adoptChild(pid: number): void {
    if (pid > 0) this.tell({ kind: 'child', pid });
  }

  /** The shell ended through its own clean-up: whatever still runs was left running on purpose. */
  release(): void {
    this.tell({ kind: 'done' });
    this.proc.stdin?.end();
  }
}
