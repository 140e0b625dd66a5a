/**
 * An mpsh shell on a real terminal: a detached tmux session on a tmux server
 * of its own (`-L <socket>`), so the shell draws its Ink screen and live
 * counter panel exactly as for a user, keys go in as typed, and nothing
 * else's tmux is touched. Tests and benchmarks drive it alike.
 *
 * The tmux server daemonizes, so it is not a child of the caller: it is
 * ended with `kill-server` (which hangs up the shell: SIGHUP, a graceful
 * stop) in stop() or close(), and by a hard-exit hook if the caller dies
 * first.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { onHardExit } from './children.js';
import { sleep } from './watchedProcess.js';
import { pidAlive } from '../src/core/os/pids.js';

export interface TmuxOptions {
  /** The tmux server's socket name; one of this process's own if not given. */
  socket?: string;
  cwd: string;
  argv: string[];
  columns?: number;
  rows?: number;
  /** When the command ends, print "EXIT <status>" and keep the pane a minute, for a test to read. */
  showExit?: boolean;
}

let sessions = 0;
const quote = (a: string) => `'${a.replace(/'/g, `'\\''`)}'`;

function tmux(socket: string, args: string[]): { ok: boolean; out: string } {
  const r = spawnSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  if (r.error) throw new Error(`cannot run tmux: ${r.error.message} (npm run setup installs it)`);
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

export class TmuxSession {
  /** The shell's pid: tmux runs a multi-word command with execvp, so the pane's process is the shell itself. */
  readonly pid: number;
  /** The tmux server's pid: it turns the shell's output into the terminal's screen, part of what a panel costs. */
  readonly serverPid: number;
  private removeHook: () => void;
  private stopped = false;
  private paused = false;
  /** tmux leaves its socket file behind when the server ends: removed in stop(). */
  private socketPath = '';

  readonly socket: string;

  protected constructor(opts: TmuxOptions) {
    const socket = opts.socket ?? `mpsh-${process.pid}-${sessions++}`;
    this.socket = socket;
    // A server left on this socket by an earlier run with the same pid is stale.
    tmux(socket, ['kill-server']);
    this.removeHook = onHardExit(() => {
      // A paused shell would not act on the hang-up until continued.
      if (this.paused && this.pid) process.kill(this.pid, 'SIGCONT');
      tmux(socket, ['kill-server']);
      if (this.socketPath) fs.rmSync(this.socketPath, { force: true });
    });
    try {
      const size = ['-x', String(opts.columns ?? 160), '-y', String(opts.rows ?? 40)];
      const argv = opts.showExit ? [`${opts.argv.map(quote).join(' ')}; echo "EXIT $?"; sleep 60`] : opts.argv;
      const r = tmux(socket, ['new-session', '-d', ...size, '-c', opts.cwd, ...argv]);
      if (!r.ok) throw new Error(`tmux new-session failed: ${r.out}`);
      // Keep the pane when the shell exits, so an early exit shows what it said instead of vanishing.
      tmux(socket, ['set-option', '-g', 'remain-on-exit', 'on']);
      const [pane, server, socketPath] = tmux(socket, ['display-message', '-p', '#{pane_pid} #{pid} #{socket_path}']).out.trim().split(' ');
      this.socketPath = socketPath ?? '';
      const [pid, serverPid] = [Number(pane), Number(server)];
      if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(serverPid) || serverPid <= 0) throw new Error('tmux: no pane or server pid');
      this.pid = pid;
      this.serverPid = serverPid;
    } catch (err) {
      tmux(socket, ['kill-server']);
      if (this.socketPath) fs.rmSync(this.socketPath, { force: true });
      this.removeHook();
      throw err;
    }
  }

  static start(opts: TmuxOptions): TmuxSession {
    return new TmuxSession(opts);
  }

  /** Keys by tmux name (Enter, Tab, C-c, Up). */
  keys(...keys: string[]): void {
    tmux(this.socket, ['send-keys', ...keys]);
  }

  /** Literal text, no key-name interpretation. */
  type(text: string): void {
    tmux(this.socket, ['send-keys', '-l', text]);
  }

  /** Pastes `text` as a terminal paste does (LF sent as CR, the way Enter is). */
  paste(text: string): void {
    const r = spawnSync('tmux', ['-L', this.socket, 'load-buffer', '-'], { input: text, maxBuffer: 64 << 20 });
    if (r.status !== 0) throw new Error(`tmux load-buffer failed: ${r.stderr}`);
    tmux(this.socket, ['paste-buffer', '-d']);
  }

  /** The pane's title, as an OSC 0/2 sequence from the program would set it. */
  title(): string {
    return tmux(this.socket, ['display-message', '-p', '#{pane_title}']).out.trim();
  }

  /**
   * The visible screen as text; `joined`: a line the terminal wrapped comes
   * back as one (longer than the width); `scrollback`: from the start of the
   * pane's history, not only what is in view.
   */
  capture(joined = false, scrollback = false): string {
    const r = tmux(this.socket, ['capture-pane', '-p', ...(joined ? ['-J'] : []), ...(scrollback ? ['-S', '-'] : [])]);
    if (!r.ok) throw new Error(`tmux capture-pane failed: ${r.out}`);
    return r.out;
  }

  /** Resizes the terminal, as a user dragging the window would (the shell gets SIGWINCH). */
  resize(columns: number, rows: number): void {
    const r = tmux(this.socket, ['resize-window', '-x', String(columns), '-y', String(rows)]);
    if (!r.ok) throw new Error(`tmux resize-window failed: ${r.out}`);
  }

  private dead(): boolean {
    return !pidAlive(this.pid) || tmux(this.socket, ['display-message', '-p', '#{pane_dead}']).out.trim() === '1';
  }

  /**
   * Waits until the screen matches every pattern, polling; fails if the shell
   * exits first, or as soon as check() throws (what the panel shows is gone).
   */
  async waitFor(pattern: RegExp | RegExp[], timeoutMs = 15_000, check: () => void = () => {}): Promise<string> {
    const patterns = Array.isArray(pattern) ? pattern : [pattern];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      check();
      const screen = this.capture();
      if (patterns.every((p) => p.test(screen))) return screen;
      if (this.dead()) throw new Error(`the shell in tmux exited:\n${screen}`);
      if (Date.now() > deadline) throw new Error(`screen did not show ${patterns.join(', ')} within ${timeoutMs} ms:\n${screen}`);
      await sleep(100);
    }
  }

  /** Waits until the panel has redrawn with new figures: two captures a refresh period apart differ. */
  async waitForRefresh(timeoutMs: number, check: () => void = () => {}): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const first = this.capture();
    while (Date.now() < deadline) {
      await sleep(300);
      check();
      if (this.capture() !== first) return;
    }
    throw new Error(`the panel did not change within ${timeoutMs} ms:\n${first}`);
  }

  /** Throws if the shell is gone: a window measured without it would not be what it claims. */
  assertAlive(): void {
    if (this.dead()) throw new Error(`the shell in tmux exited:\n${this.capture()}`);
  }

  /** SIGSTOP: the shell, and so the tmux server, go quiet, with every mapping and the screen kept. */
  pause(): void {
    if (this.paused || this.stopped) return;
    process.kill(this.pid, 'SIGSTOP');
    this.paused = true;
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    if (pidAlive(this.pid)) process.kill(this.pid, 'SIGCONT');
  }

  /** Ends the tmux server at once, not waiting for the shell. Safe to call twice. */
  close(): void {
    if (this.stopped) return;
    this.resume();
    this.stopped = true;
    tmux(this.socket, ['kill-server']);
    if (this.socketPath) fs.rmSync(this.socketPath, { force: true });
    this.removeHook();
  }

  /** Ends the tmux server (the shell gets SIGHUP); SIGKILLs the shell if it lingers. Safe to call twice. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.resume();
    this.stopped = true;
    tmux(this.socket, ['kill-server']);
    const deadline = Date.now() + 5000;
    while (pidAlive(this.pid) && Date.now() < deadline) await sleep(50);
    if (pidAlive(this.pid)) {
      process.kill(this.pid, 'SIGKILL');
      while (pidAlive(this.pid)) await sleep(50);
    }
    if (this.socketPath) fs.rmSync(this.socketPath, { force: true });
    this.removeHook();
  }
}
