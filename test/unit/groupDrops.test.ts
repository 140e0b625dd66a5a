/** Where client-server packets went, from rows alone: the sums, the line under the port totals, and the panel showing it. */
import assert from 'node:assert/strict';
import { groupDrops, groupDropsLine } from '../../src/core/observe/stats/groupDrops.js';
import { panelLines } from '../../src/core/observe/stats/panel.js';
import { defaultView } from '../../src/core/observe/stats/view.js';
import type { GroupStats, ProcessRow } from '../../src/core/observe/stats/types.js';

const client = (id: number, rxDrop: number): ProcessRow => ({
  name: `client${id}`,
  role: 'client',
  pid: 100 + id,
  state: 'running',
  uptimeMs: 1000,
  ports: [{ port: 0, rx: 0, tx: 10, drop: 0, rxPps: 0, txPps: 0 }],
  client: { id, rx: 50, rxDrop, tx: 10, txDrop: 0, rxPps: 0, txPps: 0, skipped: false },
});
const server: ProcessRow = {
  name: 'server',
  role: 'server',
  pid: 99,
  state: 'running',
  uptimeMs: 1000,
  ports: [{ port: 0, rx: 400_000_000, tx: 0, drop: 0, rxPps: 0, txPps: 0 }],
  noClientDrop: 7,
};

describe('group drops (client-server)', function () {
  it('sums ring-full drops over clients (unknown under a stock server counts 0) and the no-client drops', () => {
    assert.deepEqual(groupDrops([server, client(0, 267_000_000), client(1, NaN)]), { ringFull: 267_000_000, noClient: 7 });
    assert.equal(groupDrops([{ ...server, name: 'sym0', role: 'symmetric', noClientDrop: undefined }]), undefined, 'no client-server group, no line');
  });

  it('the panel shows the line under the port totals', () => {
    const rows = [server, client(0, 267_000_000)];
    const g: GroupStats = { at: 0, processes: rows, ports: [{ port: 0, rx: 400_000_000, tx: 10, drop: 0, rxPps: 0, txPps: 0 }], drops: groupDrops(rows) };
    const text = panelLines(g, null, defaultView, { width: 140, height: 30 }).lines.map((l) => l.text);
    const totals = text.findIndex((l) => l.startsWith('port 0'));
    assert.ok(totals >= 0, text.join('\n'));
    assert.equal(text[totals + 1], groupDropsLine(g.drops!));
    assert.match(text[totals + 1]!, /^dropped before tx: ring full 267M, no client 7 \(port rx = tx \+ DROP \+ these \+ in rings\)$/);
  });
});
