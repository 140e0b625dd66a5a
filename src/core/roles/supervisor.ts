/**
 * Children of the shell: started from an argument vector (never a shell),
 * output captured, state tracked from spawn to exit, stopped with SIGTERM
 * then SIGKILL. Children run in their own session (setsid) so a Ctrl-C at
 * the terminal reaches the shell only, which stops them in order.
 */
import { withDevargsIfOrphaned } from '../dpdk/devargs.js';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { native, repoRoot } from '../dpdk/native.js';
import { NODE_FLAGS } from '../os/nodeFlags.js';
import type { Role } from './processSlot.js';

export type ChildState =
  { kind: 'starting' } | { kind: 'running' } | { kind: 'stopping' } | { kind: 'exited'; code: number } | { kind: 'killed'; signal: string };

export interface ChildSpec {
  name: string;
  role: Role;
  /** Arguments after `mpsh`. */
  args: string[];
  /** Output that says the child is up (e.g. "Finished Process Init"). */
  ready: RegExp;
}

/** The shell's children as the stats pipeline sees them (a fake in unit tests). */
export interface ChildLookup {
  get(name: string): ManagedChild | undefined;
  list(): ManagedChild[];
}

export interface ManagedChild {
  readonly spec: ChildSpec;
  pid: number;
  state: ChildState;
  startedAt: number;
  endedAt?: number;
  /** The last lines the child printed (stdout and stderr). */
  output: string[];
}

const OUTPUT_LINES = 200;
export const STOP_TIMEOUT_MS = 3000;

export function describeState(s: ChildState): string {
  switch (s.kind) {
    case 'exited':
      return `exited (${s.code})`;
    case 'killed':
      return `killed (${s.signal})`;
    default:
      return s.kind;
  }
}

export function isAlive(c: ManagedChild): boolean {
  return c.state.kind === 'starting' || c.state.kind === 'running' || c.state.kind === 'stopping';
}

export class Supervisor implements ChildLookup {
  private readonly children = new Map<string, ManagedChild & { proc: ChildProcess; exited: Promise<void> }>();
  private listeners = new Set<(c: ManagedChild, event: string) => void>();
  readonly mpshBin = path.join(repoRoot, 'bin/mpsh');

  onChange(l: (c: ManagedChild, event: string) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  private emit(c: ManagedChild, event: string): void {
    for (const l of this.listeners) l(c, event);
  }

  get(name: string): ManagedChild | undefined {
    return this.children.get(name);
  }

  list(): ManagedChild[] {
    return [...this.children.values()];
  }

  start(spec: ChildSpec): ManagedChild {
    const existing = this.children.get(spec.name);
    if (existing && isAlive(existing)) throw new Error(`${spec.name} is already running (pid ${existing.pid})`);
    // Right before each spawn: EAL opens more descriptors as its heap grows.
    native().closeOnExec();
    const proc = spawn(process.execPath, [...NODE_FLAGS, this.mpshBin, ...withDevargsIfOrphaned(spec.args)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let resolveExit!: () => void;
    const child: ManagedChild & { proc: ChildProcess; exited: Promise<void> } = {
      spec,
      proc,
      pid: proc.pid ?? -1,
      state: { kind: 'starting' },
      startedAt: Date.now(),
      output: [],
      exited: new Promise<void>((r) => (resolveExit = r)),
    };
    this.children.set(spec.name, child);
    const take = (chunk: string) => {
      for (const line of chunk.split('\n')) if (line !== '') child.output.push(line);
      if (child.output.length > OUTPUT_LINES) child.output.splice(0, child.output.length - OUTPUT_LINES);
      if (child.state.kind === 'starting' && spec.ready.test(chunk)) {
        child.state = { kind: 'running' };
        this.emit(child, 'running');
      }
    };
    proc.stdout!.setEncoding('utf8').on('data', take);
    proc.stderr!.setEncoding('utf8').on('data', take);
    proc.on('error', (err) => {
      child.output.push(`spawn failed: ${err.message}`);
      child.state = { kind: 'exited', code: -1 };
      child.endedAt = Date.now();
      this.emit(child, 'exit');
      resolveExit();
    });
    proc.on('exit', (code, signal) => {
      child.state = signal ? { kind: 'killed', signal } : { kind: 'exited', code: code ?? -1 };
      child.endedAt = Date.now();
      this.emit(child, 'exit');
      resolveExit();
    });
    this.emit(child, 'start');
    return child;
  }

  /** Waits until the child is running; throws with its last output if it exits first. */
  async waitRunning(name: string, timeoutMs = 20_000): Promise<ManagedChild> {
    const c = this.children.get(name);
    if (!c) throw new Error(`no process named ${name}`);
    if (c.state.kind === 'running') return c;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`${name} did not start within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      const off = this.onChange((x, event) => {
        if (x !== c) return;
        if (event === 'running') {
          clearTimeout(timer);
          off();
          resolve(c);
        } else if (event === 'exit') {
          clearTimeout(timer);
          off();
          const last = c.output.filter((l) => /mpsh:|error|Error/i.test(l)).at(-1) ?? c.output.at(-1) ?? '';
          reject(new Error(`${name} ${describeState(c.state)} while starting${last ? `: ${last.replace(/^mpsh: /, '')}` : ''}`));
        }
      });
    });
  }

  /** SIGTERM, then SIGKILL after `timeoutMs`. Resolves once the child is gone. */
  async stop(name: string, timeoutMs = STOP_TIMEOUT_MS): Promise<ManagedChild> {
    const c = this.children.get(name);
    if (!c) throw new Error(`no process named ${name}`);
    if (!isAlive(c)) return c;
    c.state = { kind: 'stopping' };
    this.emit(c, 'stopping');
    c.proc.kill('SIGTERM');
    const timer = setTimeout(() => c.proc.kill('SIGKILL'), timeoutMs);
    await c.exited;
    clearTimeout(timer);
    return c;
  }

  /** Sends a signal as is (kill -9 from the shell, for crash drills). */
  signal(name: string, sig: NodeJS.Signals): void {
    const c = this.children.get(name);
    if (!c || !isAlive(c)) throw new Error(`${name} is not running`);
    c.proc.kill(sig);
  }

  async stopAll(timeoutMs = STOP_TIMEOUT_MS): Promise<ManagedChild[]> {
    const alive = this.list().filter(isAlive);
    await Promise.all(alive.map((c) => this.stop(c.spec.name, timeoutMs)));
    return alive;
  }

  forget(name: string): void {
    const c = this.children.get(name);
    if (c && !isAlive(c)) this.children.delete(name);
  }
}
