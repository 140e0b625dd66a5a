/** Reading a shell's live counters the way a script would: `stats --json`. */
import type { Proc } from '../../harness/proc.js';
import { sleep } from '../../harness/proc.js';

export interface PortJson {
  port: number;
  rx: number;
  tx: number;
  drop: number;
  rx_pps: number;
  tx_pps: number;
}
export interface ProcessJson {
  name: string;
  role: string;
  pid: number;
  state: string;
  proc_id?: number;
  ports: PortJson[];
  [k: string]: unknown;
}
export interface StatsJson {
  processes: ProcessJson[];
  ports: PortJson[];
  [k: string]: unknown;
}

export async function statsOf(shell: Proc): Promise<StatsJson> {
  const out = await shell.command('stats --json');
  const line = out.split('\n').find((l) => l.startsWith('{'));
  if (!line) throw new Error(`no JSON in stats output:\n${out}`);
  return JSON.parse(line) as StatsJson;
}

/** Polls `stats --json` until `ok` holds; returns the last stats. */
export async function statsUntil(shell: Proc, ok: (s: StatsJson) => boolean, timeoutMs = 20_000, what = 'condition'): Promise<StatsJson> {
  const deadline = Date.now() + timeoutMs;
  let last: StatsJson | undefined;
  while (Date.now() < deadline) {
    last = await statsOf(shell);
    if (ok(last)) return last;
    await sleep(200);
  }
  throw new Error(`stats never met ${what}; last:\n${JSON.stringify(last, null, 1)}`);
}

export function proc(s: StatsJson, name: string): ProcessJson {
  const p = s.processes.find((x) => x.name === name);
  if (!p) throw new Error(`no ${name} in ${JSON.stringify(s.processes.map((x) => x.name))}`);
  return p;
}

export function port(p: { ports: PortJson[] }, n: number): PortJson {
  const x = p.ports.find((q) => q.port === n);
  if (!x) throw new Error(`no port ${n}`);
  return x;
}

export const rxOf = (p: { ports: PortJson[] }) => p.ports.reduce((a, x) => a + x.rx, 0);
