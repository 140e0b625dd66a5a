/**
 * Debian's dpdk-testpmd as the application mpsh attaches to (the "any app"
 * it watches, whose life cycle it follows), driven over stdin, and
 * dpdk-proc-info's reading of it. No PCI probing (the machine's own NIC is
 * not ours); mpsh's own processes take lcore ids from 30 up and proc-info
 * lcore 0, so no lcore id is shared in the prefix.
 */
import { spawnSync } from 'node:child_process';
import { sleep, stock, type Proc } from './proc.js';

/** `quit` at testpmd's prompt; the milliseconds until it has exited. */
export async function quitTestpmd(t: Proc): Promise<number> {
  const t0 = Date.now();
  t.write('quit');
  const exit = await t.waitExit(20_000);
  if (exit.code !== 0) throw new Error(`testpmd exited with ${JSON.stringify(exit)}:\n${t.err}`);
  return Date.now() - t0;
}

/** `GET /metrics`: status and body, or the connection error's code. */
export async function scrape(port: number): Promise<{ status: number; body: string }> {
  try {
    const r = await fetch(`http://127.0.0.1:${port}/metrics`);
    return { status: r.status, body: await r.text() };
  } catch (err) {
    return { status: 0, body: String((err as { cause?: { code?: string } }).cause?.code ?? err) };
  }
}

export const TESTPMD_PROMPT = 'testpmd> ';

export interface TestpmdOptions {
  /** The process's name in test output. */
  name?: string;
  /** Its ports (--vdev each); two net_null ports unless given. */
  vdevs?: string[];
  /** --lcores; the default leaves lcore id 0 to dpdk-proc-info. */
  lcores?: string;
  /** Options after `--` besides -i (e.g. --forward-mode=io). */
  extra?: string[];
}

/** What the lifecycle tests run: one net_null port, lcores 0 and 1. */
export const ONE_NULL_PORT: TestpmdOptions = { vdevs: ['net_null0'], lcores: '0,1' };

/** testpmd, interactive, once its first prompt is out. */
export async function startTestpmd(prefix: string, opts: TestpmdOptions = {}): Promise<Proc> {
  const vdevs = (opts.vdevs ?? ['net_null0', 'net_null1']).flatMap((v) => ['--vdev', v]);
  // Through stdbuf (stock()): testpmd printf()s into a pipe, and its prompt would come before the output.
  const tp = stock(opts.name ?? 'testpmd', 'dpdk-testpmd', [
    '--file-prefix',
    prefix,
    '--no-pci',
    ...vdevs,
    '--lcores',
    opts.lcores ?? '1@0,2@1',
    '--',
    '-i',
    ...(opts.extra ?? []),
  ]);
  await tp.waitFor(/testpmd> /, 30_000);
  return tp;
}

/** One testpmd command, its output up to the next prompt. */
export const testpmdCommand = (tp: Proc, line: string, timeoutMs = 15_000) => tp.command(line, timeoutMs, TESTPMD_PROMPT);

/** Forwards for `ms` (tx_first starts the null ports' loop), then stops: the counters stay still after. */
export async function forwardThenStop(tp: Proc, ms: number): Promise<void> {
  await testpmdCommand(tp, 'start tx_first');
  await sleep(ms);
  await testpmdCommand(tp, 'stop');
}

/** dpdk-proc-info's output for one of its options (--stats, --xstats, ...). */
export function procInfo(prefix: string, option: string): string {
  const r = spawnSync('dpdk-proc-info', ['--file-prefix', prefix, '--log-level', 'lib.eal:error', '--', option], { encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0) throw new Error(`dpdk-proc-info ${option} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

/** Per port: RX-packets, TX-packets, RX-errors, TX-errors, RX-nombuf from `--stats`. */
export function procInfoStats(prefix: string): Map<number, Record<string, bigint>> {
  const out = new Map<number, Record<string, bigint>>();
  for (const block of procInfo(prefix, '--stats')
    .split(/NIC statistics for port /)
    .slice(1)) {
    const port = Number(/^(\d+)/.exec(block)![1]);
    const field = (name: string) => BigInt(new RegExp(`^\\s*(?:${name}):\\s*(\\d+)`, 'm').exec(block.replace(/ {2,}(?=[A-Z])/g, '\n'))![1]!);
    out.set(port, {
      ipackets: field('RX-packets'),
      opackets: field('TX-packets'),
      ierrors: field('RX-errors'),
      oerrors: field('TX-errors'),
      rxNombuf: field('RX-nombuf'),
    });
  }
  return out;
}

/** Per port: every xstat name and value from `--xstats`. */
export function procInfoXstats(prefix: string): Map<number, Map<string, bigint>> {
  const out = new Map<number, Map<string, bigint>>();
  for (const block of procInfo(prefix, '--xstats')
    .split(/NIC extended statistics for port /)
    .slice(1)) {
    const port = Number(/^(\d+)/.exec(block)![1]);
    const values = new Map<string, bigint>();
    for (const m of block.matchAll(/^(\w+): (\d+)$/gm)) values.set(m[1]!, BigInt(m[2]!));
    out.set(port, values);
  }
  return out;
}
