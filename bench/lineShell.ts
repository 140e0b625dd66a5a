/**
 * An mpsh shell in line mode driven through pipes, for bench modules that
 * only need commands and `stats --json`. Over the harness's WatchedProcess,
 * so the bench driver's signal handler and exit hook stop it like every
 * other child.
 */
import { mpshArgv, ROOT } from '../harness/repo.js';
import { sleep, WatchedProcess } from '../harness/watchedProcess.js';

export { sleep };

export class LineShell {
  /** Where the next until() starts: just past the previous match. */
  private cursor = 0;
  private readonly proc: WatchedProcess;
  constructor(
    prefix: string,
    private readonly windowMs = 3_000,
    eal: string[] = [],
    cwd = ROOT,
  ) {
    const argv = mpshArgv(['--file-prefix', prefix, ...eal, '--', '--line']);
    this.proc = new WatchedProcess('mpsh line shell', argv, { cwd, stdin: 'pipe' });
  }
  async until(re: RegExp, ms = 20_000): Promise<RegExpExecArray> {
    let m: RegExpExecArray | null = null;
    const find = () => (m = re.exec(this.proc.output('out').slice(this.cursor))) !== null;
    await this.proc.waitUntil(find, ms, `${re} from the shell`);
    const found = m as unknown as RegExpExecArray;
    this.cursor += found.index + found[0].length;
    return found;
  }
  write(line: string): void {
    this.proc.writeLine(line);
  }
  /** One `stats --json`, parsed. */
  async stats<T>(): Promise<T> {
    this.write('stats --json');
    const m = await this.until(/(\{"processes".*\})\n/);
    return JSON.parse(m[1]!) as T;
  }
  /** Packets the ports sent so far, and when. */
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
  /** `quit`, then end of input; SIGTERM and SIGKILL if it is still there 15 s later. */
  async quit(): Promise<void> {
    await this.proc.endInput('quit', 15_000);
  }
}
