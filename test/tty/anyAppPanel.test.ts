/** The TTY panel of a shell attached to dpdk-testpmd: its ethdev ports with counters and history, and its primary. */
import assert from 'node:assert/strict';
import { mpshBin, removePrefixFiles, uniquePrefix } from '../../harness/proc.js';
import { forwardThenStop, startTestpmd } from '../../harness/testpmd.js';
import { TmuxPane } from './pane.js';

describe('TTY panel of any app', function () {
  this.timeout(90_000);
  let prefix: string;
  let pane: TmuxPane | undefined;
  beforeEach(() => (prefix = uniquePrefix('apptty')));
  afterEach(() => {
    pane?.close();
    removePrefixFiles(prefix);
  });

  it("shows testpmd's ports (counters, rates, history) and its primary process", async () => {
    const testpmd = await startTestpmd(prefix);
    pane = new TmuxPane([process.execPath, mpshBin, '--file-prefix', prefix, '--proc-type=secondary'], 120, 30);
    await pane.waitFor(/PORT +RX +TX +RX\/s +TX\/s +LOST/, 30_000);
    await forwardThenStop(testpmd, 1500);
    // Counters past a million on both ports, and the sparkline has drawn some samples.
    const screen = await pane.waitFor(/0 net_null0 +[\d.]+M +[\d.]+M .*[▁▂▃▄▅▆▇█]{3}[\s\S]*1 net_null1 +[\d.]+M/, 20_000);
    assert.match(screen, new RegExp(`primary dpdk-testpmd pid ${testpmd.pid} running`));
    await testpmd.stop();
  });
});
