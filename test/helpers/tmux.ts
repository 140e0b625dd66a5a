/** A real terminal for the Ink app: a private tmux server, keys in, screen out. */
import { execFileSync } from 'node:child_process';
import { repoRoot } from './proc.js';

export class TmuxPane {
  private static n = 0;
  readonly socket = `mpsh-test-${process.pid}-${TmuxPane.n++}`;

  constructor(
    command: string[],
    readonly width = 120,
    readonly height = 30,
  ) {
    // The pane runs the command, then reports its exit status and lingers so the screen can be read.
    const quoted = command.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    this.tmux('new-session', '-d', '-x', String(width), '-y', String(height), '-c', repoRoot, `${quoted}; echo "EXIT $?"; sleep 60`);
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
  }

  keys(...keys: string[]): void {
    this.tmux('send-keys', ...keys);
  }

  /** Literal text, no key-name interpretation. */
  type(text: string): void {
    this.tmux('send-keys', '-l', text);
  }

  /** Pastes `text` as a terminal paste does (LF sent as CR, the way Enter is). */
  paste(text: string): void {
    execFileSync('tmux', ['-L', this.socket, 'load-buffer', '-'], { input: text, maxBuffer: 64 << 20 });
    this.tmux('paste-buffer', '-d');
  }

  /** The pane's title, as an OSC 0/2 sequence from the program would set it. */
  title(): string {
    return this.tmux('display-message', '-p', '#{pane_title}').trim();
  }

  screen(): string {
    return this.tmux('capture-pane', '-p');
  }

  async waitFor(re: RegExp, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = this.screen();
      if (re.test(s)) return s;
      if (Date.now() > deadline) throw new Error(`screen never matched ${re}:\n${s}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  close(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // already gone
    }
  }
}
