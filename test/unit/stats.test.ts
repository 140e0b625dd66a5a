/** The stats pipeline on fake region readers: no EAL, no shared memory. */
import assert from 'node:assert/strict';
import type { CsProcessView, CsReader, PortInfoReader } from '../../src/core/roles/clientServer/region.js';
import type { SlotHeader } from '../../src/core/roles/processSlot.js';
import { statsJson } from '../../src/core/observe/stats/json.js';
import { Rates } from '../../src/core/observe/stats/rates.js';
import { GroupSampler, type RegionReaders } from '../../src/core/observe/stats/sampler.js';
import { counterTables, formatTable, processTable } from '../../src/core/observe/stats/table.js';
import type { ChildLookup, ChildState, ManagedChild } from '../../src/core/roles/supervisor.js';
import type { SymSlot } from '../../src/core/roles/symmetric/statsRegion.js';

const NOW_NS = 1_000_000_000_000n;
const AT = { nowNs: NOW_NS, stalledAfterNs: 2_000_000_000n };
const DEAD_PID = 0x3ffffff0; // above any pid_max: never alive

function header(over: Partial<SlotHeader> = {}): SlotHeader {
  return { role: 'symmetric', id: 0, pid: process.pid, state: 'running', startedMs: 1_000, heartbeatNs: NOW_NS, idle: false, ...over };
}

function symSlot(procId: number, rx: bigint, over: Partial<SlotHeader> = {}): SymSlot {
  return {
    ...header({ id: procId, ...over }),
    procId,
    numProcs: 2,
    lcore: 1,
    ports: [
      { port: 0, rx, tx: rx, drop: 1n },
      { port: 1, rx: 0n, tx: 0n, drop: 0n },
    ],
  };
}

function child(name: string, role: ManagedChild['spec']['role'], pid: number, state: ChildState = { kind: 'running' }): ManagedChild {
  return { spec: { name, role, args: [], ready: /x/ }, pid, state, startedAt: 1_000, output: [] };
}

function children(list: ManagedChild[]): ChildLookup {
  return { get: (n) => list.find((c) => c.spec.name === n), list: () => list };
}

function readers(sym: SymSlot[] | (() => SymSlot[]) | null, cs: RegionReaders['clientServer'] = () => null): RegionReaders {
  return { symmetric: () => (sym === null ? null : { slots: typeof sym === 'function' ? sym : () => sym }), clientServer: cs };
}

describe('stats pipeline (fake regions)', () => {
  it('gives rates from two samples at least 200 ms apart, and reuses them in between', () => {
    const r = new Rates();
    assert.equal(r.begin(1_000)('a', 100), 0, 'no rate from a single sample');
    r.end();
    assert.equal(r.begin(2_000)('a', 600), 500);
    r.end();
    assert.equal(r.begin(2_100)('a', 10_000), 500, 'too soon: the last rate');
    r.end();
    assert.equal(r.begin(3_000)('a', 700), 100, 'measured from the last kept sample');
    r.end();
    assert.equal(r.begin(4_000)('a', 5), 0, 'a counter that went back (a restart) has no rate');
  });

  it('rows symmetric slots with rates and port totals, sorted by name', () => {
    let rx = 1_000n;
    const sampler = new GroupSampler(
      null,
      readers(() => [symSlot(1, rx), symSlot(0, rx * 2n)]),
    );
    assert.equal(sampler.sample(10_000, AT).ratesPending, true, 'no earlier sample: rates unknown');
    rx = 3_000n;
    const g = sampler.sample(11_000, AT);
    assert.equal(g.ratesPending, false);
    assert.deepEqual(
      g.processes.map((p) => [p.name, p.role, p.state, p.procId]),
      [
        ['sym0', 'symmetric', 'running', 0],
        ['sym1', 'symmetric', 'running', 1],
      ],
    );
    assert.equal(g.processes[1]!.ports[0]!.rxPps, 2_000);
    assert.equal(g.processes[0]!.ports[0]!.rxPps, 4_000);
    assert.equal(g.processes[0]!.uptimeMs, 10_000);
    assert.deepEqual(g.ports[0], { port: 0, rx: 9_000, tx: 9_000, drop: 2, rxPps: 6_000, txPps: 6_000 });
  });

  it('says stalled for a running loop without a heartbeat for 2 s, dead for a gone pid, stopped as written', () => {
    const slots = [
      symSlot(0, 1n, { heartbeatNs: NOW_NS - 3_000_000_000n }),
      symSlot(1, 1n, { pid: DEAD_PID }),
      symSlot(2, 1n, { pid: DEAD_PID, state: 'stopped' }),
    ];
    const g = new GroupSampler(null, readers(slots)).sample(10_000, AT);
    assert.deepEqual(
      g.processes.map((p) => p.state),
      ['stalled', 'dead', 'stopped'],
    );
    assert.deepEqual(
      g.processes.map((p) => p.uptimeMs),
      [0, 0, 0],
    );
  });

  it('prefers the child state over its slot, and a live child over an old slot of its name (keeping its counts)', () => {
    const kids = children([
      child('sym0', 'symmetric', process.pid, { kind: 'stopping' }),
      child('sym1', 'symmetric', process.ppid),
      child('server', 'server', 77, { kind: 'exited', code: 1 }),
    ]);
    const g = new GroupSampler(kids, readers([symSlot(0, 5n), symSlot(1, 5n, { pid: DEAD_PID })])).sample(10_000, AT);
    assert.deepEqual(
      g.processes.map((p) => [p.name, p.pid, p.state, p.ports.length]),
      [
        ['server', 77, 'exited (1)', 0],
        ['sym0', process.pid, 'stopping', 2],
        ['sym1', process.ppid, 'running', 2],
      ],
    );
    // A restarted worker that has not claimed its slot yet: the name's counts stay in the totals.
    assert.equal(g.ports[0]!.rx, 10);
  });

  const portInfo = (tx: () => bigint): PortInfoReader => ({
    ports: [0, 1],
    rx: (i) => BigInt(100 + i),
    tx: (c, p) => (c === 0 && p === 0 ? tx() : 0n),
    txDrop: () => 1n,
  });

  it('rows a stock server and client from port_info alone: per-client rx unknown, running (stock) once tx moves', () => {
    let tx = 10n;
    const sampler = new GroupSampler(
      null,
      readers(null, () => ({ portInfo: portInfo(() => tx), region: null, ringCount: 2 })),
    );
    sampler.sample(10_000, AT);
    tx = 510n;
    const g = sampler.sample(11_000, AT);
    assert.deepEqual(
      g.processes.map((p) => [p.name, p.state]),
      [
        ['client0', 'running (stock)'],
        ['client1', 'not started'],
        ['server', 'unknown'],
      ],
    );
    const c0 = g.processes[0]!.client!;
    assert.ok(Number.isNaN(c0.rx) && Number.isNaN(c0.rxPps));
    assert.equal(c0.txPps, 500);
    assert.deepEqual(
      g.processes[2]!.ports.map((p) => p.rx),
      [100, 101],
    );
    assert.match(statsJson(g), /"client":0,"rx":null,"rx_drop":null,"tx":510,"tx_drop":2/);
  });

  it('rows an mpsh server and clients from MPSH_CS_STATS: per-client rx, skips, idle', () => {
    const procs: Record<string, CsProcessView> = {
      server: { ...header({ role: 'server' }), rx: 0n },
      '0': { ...header({ role: 'client', idle: true }), rx: 40n },
    };
    const region: CsReader = {
      valid: true,
      numClients: 2,
      process: (who) => procs[String(who)] ?? null,
      clientRx: (c) => BigInt(40 + c),
      clientRxDrop: () => 3n,
      portRx: (p) => BigInt(1_000 + p),
      skipped: (c) => c === 1,
      noClientDrop: 9n,
    };
    const g = new GroupSampler(
      null,
      readers(null, () => ({ portInfo: portInfo(() => 10n), region, ringCount: 0 })),
    ).sample(10_000, AT);
    assert.deepEqual(
      g.processes.map((p) => [p.name, p.state, p.idle]),
      [
        ['client0', 'running', true],
        ['client1', 'not started', undefined],
        ['server', 'running', false],
      ],
    );
    assert.equal(g.processes[0]!.client!.rx, 40);
    assert.equal(g.processes[1]!.client!.skipped, true);
    assert.deepEqual(
      g.processes[2]!.ports.map((p) => p.rx),
      [1_000, 1_001],
    );
    assert.equal(g.processes[2]!.noClientDrop, 9);
    const json = JSON.parse(statsJson(g)) as { processes: Record<string, unknown>[] };
    assert.deepEqual(json.processes[2], {
      name: 'server',
      role: 'server',
      pid: process.pid,
      state: 'running',
      uptime_s: 9,
      idle: false,
      ports: [
        { port: 0, rx: 1000, rx_pps: 0 },
        { port: 1, rx: 1001, rx_pps: 0 },
      ],
      no_client_drop: 9,
    });
  });

  it('renders the panel, stats and ps from one table model', () => {
    const sampler = new GroupSampler(children([child('sym5', 'symmetric', 5)]), readers([symSlot(0, 12_345_678n, { idle: true })]));
    const g = sampler.sample(70_000, AT);
    const printed = counterTables(g, { uptime: false }).map(formatTable);
    assert.equal(printed.length, 2, 'workers, port totals');
    assert.match(printed[0]!, /^NAME\s+PID\s+STATE\s+PORT\s+RX\s+TX\s+DROP\s+RX\/s\s+TX\/s\n/);
    assert.match(printed[0]!, /\nsym5\s+5\s+running\s+-$/);
    assert.match(printed[0]!, /\nsym0\s+\d+\s+running \(idle\)\s+0\s+12\.3M\s+12\.3M\s+1\s+0\s+0\n\s+1\s+0\s+0\s+0\s+0\s+0\n/);
    assert.match(printed[1]!, /^PORT\s+RX\s+TX\s+DROP\s+RX\/s\s+TX\/s\n\s*0\s+12\.3M/);
    const panel = counterTables(g, { uptime: true })[0]!;
    assert.deepEqual(panel.columns.map((c) => c.title).slice(0, 5), ['NAME', 'PID', 'STATE', 'UP', 'PORT']);
    assert.equal(panel.rows.find((r) => r.key === 'sym0:0')!.cells[3], '1m09s');
    assert.equal(panel.rows.find((r) => r.key === 'sym0:0')!.tone, 'ok');
    const ps = formatTable(processTable(g)).split('\n');
    assert.match(ps[0]!, /^NAME\s+ROLE\s+PID\s+STATE\s+UPTIME\s+IDLE POLICY$/);
    assert.match(ps[1]!, /^sym0\s+symmetric\s+\d+\s+running \(idle\)\s+1m09s$/);
  });
});
