/**
 * Port RX counters read while a worker forwards, from the DPDK telemetry
 * socket of its primary (`/ethdev/stats,<port>` ipackets, the count net_null
 * itself keeps), so a rate can be taken over any window of a running process
 * rather than only from start to SIGINT.
 *
 * The socket is AF_UNIX SOCK_SEQPACKET, which Node cannot open: a small
 * Debian python3 helper holds the connection, takes one port per stdin line
 * and answers with one JSON line, timed on CLOCK_MONOTONIC around the query.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { track } from '../harness/children.js';
import { exitsWithin } from '../harness/watchedProcess.js';

export const PYTHON = '/usr/bin/python3';

const HELPER = `
import json, socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.connect(sys.argv[1])
s.recv(1024)
print("ready", flush=True)
for line in sys.stdin:
    port = int(line)
    t0 = time.monotonic_ns()
    s.send(("/ethdev/stats,%d" % port).encode())
    reply = json.loads(s.recv(65536))
    t1 = time.monotonic_ns()
    print(json.dumps({"port": port, "t": (t0 + t1) // 2, "rx": reply["/ethdev/stats"]["ipackets"]}), flush=True)
`;

/** Per port: when (ns, CLOCK_MONOTONIC) and how many packets it had received. */
export type RxSample = Map<number, { t: number; rx: number }>;

export class Telemetry {
  private readonly child: ChildProcess;
  private buffer = '';
  private waiting: ((line: string) => void)[] = [];
  private exited: Promise<void>;
  private err = '';

  private constructor(socketPath: string) {
    this.child = spawn(PYTHON, ['-c', HELPER, socketPath], { stdio: ['pipe', 'pipe', 'pipe'] });
    track(this.child);
    this.child.stdin!.on('error', () => {});
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      this.buffer += chunk;
      let nl: number;
      while ((nl = this.buffer.indexOf('\n')) >= 0) {
        const line = this.buffer.slice(0, nl);
        this.buffer = this.buffer.slice(nl + 1);
        this.waiting.shift()?.(line);
      }
    });
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      this.err = (this.err + chunk).slice(-2000);
    });
    this.exited = new Promise((resolve) => this.child.on('exit', () => resolve()));
  }

  /** The helper's pid: its CPU is the bench's, not the machine's other load. */
  get pid(): number {
    return this.child.pid ?? 0;
  }

  /** Connects to the telemetry socket of the primary of `prefix`. */
  static async open(prefix: string): Promise<Telemetry> {
    if (!fs.existsSync(PYTHON)) throw new Error(`${PYTHON} is missing (Debian's python3; the dpdk package's scripts need it too)`);
    const t = new Telemetry(`/var/run/dpdk/${prefix}/dpdk_telemetry.v2`);
    const first = await t.nextLine(5000);
    if (first !== 'ready') throw new Error(`telemetry helper: expected 'ready', got '${first}'`);
    return t;
  }

  private nextLine(timeoutMs: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error(`telemetry helper: no answer within ${timeoutMs} ms${this.err ? `: ${this.err}` : ''}`)), timeoutMs);
      const onExit = () => fail(new Error(`telemetry helper exited${this.err ? `: ${this.err}` : ''}`));
      const fail = (err: Error) => {
        clearTimeout(timer);
        this.child.off('exit', onExit);
        this.waiting = this.waiting.filter((w) => w !== take);
        reject(err);
      };
      const take = (line: string) => {
        clearTimeout(timer);
        this.child.off('exit', onExit);
        resolve(line);
      };
      this.waiting.push(take);
      this.child.once('exit', onExit);
      if (this.child.exitCode !== null || this.child.signalCode !== null) onExit();
    });
  }

  /** RX of each port, queried one after the other. */
  async sample(ports: number[]): Promise<RxSample> {
    const out: RxSample = new Map();
    for (const port of ports) {
      this.child.stdin!.write(`${port}\n`);
      const reply = JSON.parse(await this.nextLine(5000)) as { port: number; t: number; rx: number };
      out.set(reply.port, { t: reply.t, rx: reply.rx });
    }
    return out;
  }

  async close(): Promise<void> {
    this.child.stdin!.end();
    if (await exitsWithin(this.exited, 2000)) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }
}

/** Mpps between two samples: each port's own RX delta over its own time delta, summed. */
export function rateMpps(a: RxSample, b: RxSample): number {
  let pps = 0;
  for (const [port, end] of b) {
    const start = a.get(port);
    if (!start) throw new Error(`port ${port} missing from the first sample`);
    pps += (end.rx - start.rx) / ((end.t - start.t) / 1e9);
  }
  return pps / 1e6;
}
