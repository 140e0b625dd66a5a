/** The screen follows ports that come and go: status line, a log line, and the panel's port totals. */
import assert from 'node:assert/strict';
import { mpsh, mpshBin, removePrefixFiles, uniquePrefix } from '../../harness/proc.js';
import { TmuxPane } from './pane.js';

describe('TTY screen follows hotplugged ports', function () {
  let prefix: string;
  let pane: TmuxPane | undefined;
  beforeEach(() => (prefix = uniquePrefix('hptty')));
  afterEach(() => {
    pane?.close();
    removePrefixFiles(prefix);
  });

  it('ports attached by another process appear in the status line; a detached port is marked in the panel', async () => {
    pane = new TmuxPane([process.execPath, mpshBin, '--file-prefix', prefix], 120, 30);
    await pane.waitFor(/primary · prefix mt-hptty.* · ports 2 · simple_mp/);
    const sec = mpsh('secondary', ['--file-prefix', prefix]);
    await sec.waitFor(/simple_mp > /, 20_000);
    assert.equal(await sec.command('attach net_null2'), 'attached device net_null2');
    assert.equal(await sec.command('attach net_null3'), 'attached device net_null3');
    await pane.waitFor(/port 2 net_null2 attached\s+port 3 net_null3 attached[\s\S]*ports 4 · simple_mp/);
    pane.type('spawn symmetric 1 --portmask c');
    pane.keys('Enter');
    await pane.waitFor(/TOTALS[\s\S]*port 2 +[\d.]+[kMG]? .* net_null2 [\s\S]*port 3 .* net_null3 /);
    pane.type('detach --force net_null2');
    pane.keys('Enter');
    const screen = await pane.waitFor(/detached device net_null2[\s\S]*ports 3 · simple_mp/, 20_000);
    assert.match(screen, /port 2 +[\d.]+.* \(detached\) /);
    assert.match(screen, /port 3 +[\d.]+.* net_null3 /);
  });
});
