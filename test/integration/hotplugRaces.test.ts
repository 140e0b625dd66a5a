/**
 * Hotplug under careless use (issue 19 items 11, 12, 15): requests from two
 * shells at once are serialized per prefix, so exactly one of two equal
 * attaches wins and the other says why; a request whose rollback could not
 * work is refused up front; the driver's reason for refusing reaches the
 * shell that asked.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mpshShell, removePrefixFiles, uniquePrefix } from '../../harness/proc.js';

const withoutNotices = (out: string) =>
  out
    .split('\n')
    .filter((l) => !/^port \d+ \S+ (attached|detached)$/.test(l))
    .join('\n');

/** Port names from `list` (`<id>\t<name>` lines). */
const names = (listing: string) => [...listing.matchAll(/^(\d+)\t(\S+)/gm)].map((m) => `${m[1]} ${m[2]}`);

describe('hotplug: two shells, rollbacks, reasons', function () {
  this.timeout(180_000);
  let prefix: string;
  beforeEach(() => (prefix = uniquePrefix('hprace')));
  afterEach(() => removePrefixFiles(prefix));

  it('the same name attached from two shells at once: exactly one wins, the other says it exists (10 rounds)', async () => {
    const pri = await mpshShell('primary', ['--file-prefix', prefix]);
    const sec = await mpshShell('secondary', ['--file-prefix', prefix]);
    for (let round = 0; round < 10; round++) {
      const name = `net_ring${20 + round}`;
      // Without the notices a shell prints when another process attaches or detaches.
      const outs = (await Promise.all([pri.command(`attach ${name}`, 40_000), sec.command(`attach ${name}`, 40_000)])).map(withoutNotices);
      const won = outs.filter((o) => o === `attached device ${name}`);
      assert.equal(won.length, 1, `round ${round}: exactly one attach wins, got:\n${outs.join('\n---\n')}`);
      const lost = outs.find((o) => o !== `attached device ${name}`)!;
      assert.match(lost, new RegExp(`^attach: ${name} already exists \\(port \\d+\\): detach it first, or attach another instance number$`));
      assert.doesNotMatch(outs.join('\n'), /EAL: /, 'no raw EAL lines');
      assert.deepEqual(names(await pri.command('list')), names(await sec.command('list')), 'both shells see the same ports');
      assert.equal((await pri.command(`detach ${name}`, 40_000)).split('\n').pop(), `detached device ${name}`);
    }
  });

  it("net_ring's nodeaction is refused up front: every process keeps the same ports", async () => {
    const pri = await mpshShell('primary', ['--file-prefix', prefix]);
    const sec = await mpshShell('secondary', ['--file-prefix', prefix]);
    const before = names(await pri.command('list'));
    assert.equal(
      await sec.command('attach net_ring12,nodeaction=r1:0:CREATE', 40_000),
      "attach: net_ring's nodeaction names its port 'r1' apart from the device 'net_ring12': the other processes look the port up by the device's name and cannot attach it; attach net_ring12 without nodeaction",
    );
    assert.deepEqual(names(await pri.command('list')), before, 'the primary has no port r1');
    assert.deepEqual(names(await sec.command('list')), before);
    assert.equal(await pri.command('attach net_ring12', 40_000), 'attached device net_ring12');
    assert.deepEqual(names(await sec.command('list')), names(await pri.command('list')), 'port ids agree');
  });

  it('the cause of a refused attach reaches the shell that asked: missing pcap file, too long a name', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpsh-hprace-'));
    try {
      const pri = await mpshShell('primary', ['--file-prefix', prefix]);
      const sec = await mpshShell('secondary', ['--file-prefix', prefix]);
      const missing = path.join(dir, 'nofile.pcap');
      assert.equal(
        await sec.command(`attach net_pcap13,rx_pcap=${missing}`),
        `attach: rx_pcap=${missing}: No such file or directory (the pcap driver reads it in every process, relative to each process's directory)`,
      );
      assert.equal(
        await sec.command(`attach net_pcap13,tx_pcap=${dir}/nodir/out.pcap`),
        `attach: tx_pcap=${dir}/nodir/out.pcap: cannot create it in ${dir}/nodir: No such file or directory`,
      );
      assert.equal(
        await pri.command('attach net_pcap13,rx_iface=nosuchif0'),
        'attach: rx_iface=nosuchif0: no network interface of that name here (ip link shows them)',
      );
      const long = `net_null${'1'.repeat(64)}`;
      assert.equal(
        await pri.command(`attach ${long}`),
        `attach: device name too long: ${long.length} bytes, and DPDK takes at most 63 (RTE_DEV_NAME_MAX_LEN 64, with the final NUL): use a shorter name`,
      );
      assert.deepEqual(names(await pri.command('list')), ['0 net_null0', '1 net_null1']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
