/**
 * A capture file is the user's only (packets may hold secrets: mode 0600,
 * an existing file made private too), and `capture` says how to read it
 * with each packet's port and direction.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { adoptPidsIn, mpshShell, removePrefixFiles, uniquePrefix } from '../../harness/proc.js';
import { statsUntil } from '../helpers/stats.js';

describe('capture files', function () {
  let prefix: string;
  let dir: string;
  beforeEach(() => {
    prefix = uniquePrefix('capf');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpsh-capf-'));
  });
  afterEach(() => {
    removePrefixFiles(prefix);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('are written 0600, an existing 0644 one included, and capture prints the tshark line that shows direction', async () => {
    const sh = await mpshShell('shell', ['--file-prefix', prefix], { cwd: dir });
    adoptPidsIn(await sh.command('spawn symmetric 1'));
    await statsUntil(sh, (x) => x.ports.reduce((n, p) => n + p.rx, 0) > 100, 10_000, 'traffic');
    const said = await sh.command('capture sym0 new.pcapng --count 10');
    assert.match(
      said,
      /\nread it with port and direction: each forwarded packet shows twice, in on one port and out on another: tshark -r new\.pcapng -T fields -e frame\.number -e frame\.interface_name -e frame\.packet_flags_direction -e _ws\.col\.Info \(tcpdump -r new\.pcapng -n shows no direction\)$/,
    );
    await sh.waitFor(/captured 10 packets to new\.pcapng\n/, 10_000);
    assert.equal(fs.statSync(path.join(dir, 'new.pcapng')).mode & 0o777, 0o600);
    // An existing file (replaced only with --force) keeps its mode unless it is set again; a name a shell would expand is quoted.
    fs.writeFileSync(path.join(dir, 'old$1.pcapng'), 'x', { mode: 0o644 });
    assert.match(
      await sh.command('capture sym0 old$1.pcapng --count 5 --direction rx --force'),
      /\nread it with port and direction: tshark -r 'old\$1\.pcapng' /,
    );
    await sh.waitFor(/captured 5 packets to old\$1\.pcapng\n/, 10_000);
    assert.equal(fs.statSync(path.join(dir, 'old$1.pcapng')).mode & 0o777, 0o600);
  });
});
