/**
 * Real traffic for tests and the bench: two DPDK tap ports whose kernel
 * interfaces sit in two network namespaces of the caller's own, so Linux's
 * ping and iperf3 in one namespace reach the other only through the
 * forwarder under test.
 *
 * Order matters: the tap driver creates its queues by interface name in the
 * process's own namespace, so the interfaces move only after their ports
 * started (after the forwarder said it is ready). Moving a device closes it,
 * and IPv6 is off in the namespaces and neighbours are static, so once moved
 * the only packets crossing are the test's own: counters can be exact.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import { sleep } from './proc.js';

const ADDR_A = '10.77.0.1';
const ADDR_B = '10.77.0.2';
const live = new Set<TapPair>();
let counter = 0;

function ip(...args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function exists(iface: string): boolean {
  return fs.existsSync(`/sys/class/net/${iface}`);
}

export interface PingResult {
  sent: number;
  received: number;
  /** Round-trip times of the answered echoes, in ms, in order. */
  rtts: number[];
  output: string;
}

export class TapPair {
  readonly ifA: string;
  readonly ifB: string;
  readonly nsA: string;
  readonly nsB: string;
  readonly addrA = ADDR_A;
  readonly addrB = ADDR_B;
  private moved = false;

  /** Unique names: interfaces are at most 15 characters, all start with `mpt`. */
  constructor() {
    const id = `${process.pid % 100000}${(counter++).toString(36)}`;
    this.ifA = `mpt${id}a`;
    this.ifB = `mpt${id}b`;
    this.nsA = `mpt-${id}-a`;
    this.nsB = `mpt-${id}-b`;
    live.add(this);
  }

  /** EAL options for the two ports (net_tap0 = port 0 on ifA, net_tap1 = port 1 on ifB). */
  vdevs(): string[] {
    return [`--vdev=net_tap0,iface=${this.ifA}`, `--vdev=net_tap1,iface=${this.ifB}`];
  }

  async waitForInterfaces(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(exists(this.ifA) && exists(this.ifB))) {
      if (Date.now() > deadline) throw new Error(`interfaces ${this.ifA}, ${this.ifB} did not appear within ${timeoutMs} ms`);
      await sleep(20);
    }
  }

  /**
   * Moves the interfaces into two new namespaces, addresses them, adds
   * static neighbours and waits until a dropped packet or two from the root
   * namespace (IPv6 chatter before the move) has crossed.
   */
  async moveIntoNamespaces(): Promise<void> {
    await this.waitForInterfaces();
    ip('netns', 'add', this.nsA);
    ip('netns', 'add', this.nsB);
    this.moved = true;
    const side = [
      { ns: this.nsA, dev: this.ifA, addr: this.addrA },
      { ns: this.nsB, dev: this.ifB, addr: this.addrB },
    ];
    for (const s of side) {
      ip('link', 'set', s.dev, 'netns', s.ns);
      execFileSync('ip', ['netns', 'exec', s.ns, 'sysctl', '-q', `net.ipv6.conf.${s.dev}.disable_ipv6=1`], { stdio: ['ignore', 'pipe', 'pipe'] });
      ip('-n', s.ns, 'addr', 'add', `${s.addr}/24`, 'dev', s.dev);
      ip('-n', s.ns, 'link', 'set', s.dev, 'up');
      ip('-n', s.ns, 'link', 'set', 'lo', 'up');
    }
    const macA = this.mac(this.nsA, this.ifA);
    const macB = this.mac(this.nsB, this.ifB);
    ip('-n', this.nsA, 'neigh', 'replace', this.addrB, 'lladdr', macB, 'dev', this.ifA, 'nud', 'permanent');
    ip('-n', this.nsB, 'neigh', 'replace', this.addrA, 'lladdr', macA, 'dev', this.ifB, 'nud', 'permanent');
    await sleep(200);
  }

  private mac(ns: string, dev: string): string {
    const m = /link\/ether ([0-9a-f:]{17})/.exec(ip('-n', ns, 'link', 'show', dev));
    if (!m) throw new Error(`no MAC address on ${dev} in ${ns}`);
    return m[1]!;
  }

  /** `count` echoes from A to B, `intervalS` apart; resolves when ping exits. */
  ping(count: number, intervalS = 0.05, timeoutS = 2): Promise<PingResult> {
    return new Promise((resolve, reject) => {
      const args = ['netns', 'exec', this.nsA, 'ping', '-n', '-c', String(count), '-i', String(intervalS), '-W', String(timeoutS), this.addrB];
      execFile('ip', args, { encoding: 'utf8', timeout: (count * intervalS + timeoutS + 10) * 1000 }, (err, stdout) => {
        const m = /(\d+) packets transmitted, (\d+) received/.exec(stdout);
        if (!m) return reject(new Error(`ping gave no summary (${err?.message ?? ''}):\n${stdout}`));
        const rtts = [...stdout.matchAll(/time=([\d.]+) ms/g)].map((x) => Number(x[1]));
        resolve({ sent: Number(m[1]), received: Number(m[2]), rtts, output: stdout });
      });
    });
  }

  /** iperf3 TCP from A to B for `seconds`; resolves with the receiver's bits per second. */
  async iperf(seconds: number): Promise<number> {
    const server = spawn('ip', ['netns', 'exec', this.nsB, 'iperf3', '-s', '-1', '-B', this.addrB], { stdio: 'ignore' });
    try {
      for (let attempt = 0; ; attempt++) {
        const out = await new Promise<string>((resolve) =>
          execFile(
            'ip',
            ['netns', 'exec', this.nsA, 'iperf3', '-c', this.addrB, '-t', String(seconds), '-J'],
            { encoding: 'utf8', timeout: (seconds + 20) * 1000 },
            (_err, stdout) => resolve(stdout),
          ),
        );
        let json: { error?: string; end?: { sum_received?: { bits_per_second: number } } } = {};
        try {
          json = JSON.parse(out) as typeof json;
        } catch {
          json = { error: `not JSON: ${out.slice(0, 500)}` };
        }
        const bps = json.end?.sum_received?.bits_per_second;
        if (bps !== undefined && !json.error) return bps;
        // The server may not listen yet: the client is refused at once.
        if (attempt < 100 && /refused/i.test(json.error ?? '')) {
          await sleep(100);
          continue;
        }
        throw new Error(`iperf3 gave no result: ${json.error ?? out.slice(0, 2000)}`);
      }
    } finally {
      server.kill('SIGKILL');
    }
  }

  /** Deletes the namespaces (their tap interfaces go with them). Safe to call twice. */
  cleanup(): void {
    live.delete(this);
    if (!this.moved) return;
    for (const ns of [this.nsA, this.nsB]) {
      try {
        ip('netns', 'del', ns);
      } catch {
        // never created, or already gone
      }
    }
    this.moved = false;
  }
}

/** Whatever a failed test left: namespaces go when the test process exits. */
process.on('exit', () => [...live].forEach((t) => t.cleanup()));
