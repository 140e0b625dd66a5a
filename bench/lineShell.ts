/**
 * An mpsh shell in line mode driven through pipes, for bench modules that
 * only need commands and `stats --json`.
 */
import { spawn } from 'node:child_process';
import { mpshArgv, ROOT } from '../harness/repo.js';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class LineShell {
  private out = '';
  private readonly child;
  constructor(
    prefix: string,
    private readonly windowMs = 3_000,
    eal: string[] = [],
    cwd = ROOT,
  ) {
    const argv = mpshArgv(['--file-prefix', prefix, ...eal, '--', '--line']);
    this.child = spawn(argv.command, argv.args, { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.setEncoding('utf8').on('data', (d: string) => (this.out += d));
  }
  async until(re: RegExp, ms = 20_000): Promise<RegExpExecArray> {
    const deadline = Date.now() + ms;
    for (;;) {
      const m = re.exec(this.out);
      if (m) {
        this.out = this.out.slice(m.index + m[0].length);
        return m;
      }
      if (Date.now() > deadline) throw new Error(`shell: no ${re} within ${ms} ms; output: ${this.out.slice(-500)}`);
      await sleep(20);
    }
  }
  write(line: string): void {
    this.child.stdin.write(`${line}\n`);
  }
  /** Packets sym0 forwarded so far, and when. */
  /** One `stats --json`, parsed. */
  async stats<T>(): Promise<T> {
    this.write('stats --json');
    const m = await this.until(/(\{"processes".*\})\n/);
    return JSON.parse(m[1]!) as T;
  }
  async forwarded(): Promise<{ t: number; tx: number }> {
    const s = await this.stats<{ ports: { tx: number }[] }>();
    return { t: Date.now(), tx: s.ports.reduce((n, p) => n + p.tx, 0) };
  }
  async rate(): Promise<number> {
    const a = await this.forwarded();
    await sleep(this.windowMs);
    const b = await this.forwarded();
    return (b.tx - a.tx) / ((b.t - a.t) / 1000) / 1e6;
  }
  async quit(): Promise<void> {
    this.write('quit');
    this.child.stdin.end();
    await new Promise<void>((r) => {
      const t = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
      this.child.on('exit', () => {
        clearTimeout(t);
        r();
      });
    });
  }
}
