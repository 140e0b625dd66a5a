/**
 * EAL's and the drivers' log lines on the TTY screen (issue 18 item 8, issue
 * 17): each reaches the screen once, as a log entry in order with the
 * shell's own, wrapped at word boundaries; none is written raw into the
 * frame (where the terminal cut it mid-word and the next redraw erased it).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { mpshShell, mpshBin, removePrefixFiles, uniquePrefix } from '../../harness/proc.js';
import type { Proc } from '../../harness/proc.js';
import { TmuxPane } from './pane.js';

/**
 * One long word, so a mid-word cut cannot go unseen: a regular file that is
 * no pcap file, which only the primary's driver finds out (a missing one is
 * refused in the asking shell, before EAL).
 */
const NOT_PCAP = '/tmp/mpsh-not-a-pcap-file-for-a-wrap-test.pcap';

for (const [columns, rows] of [
  [100, 30],
  [80, 24],
] as const) {
  describe(`EAL log lines on the TTY screen at ${columns}x${rows}`, function () {
    let prefix: string;
    let pane: TmuxPane;
    let sec: Proc | undefined;
    beforeEach(async () => {
      prefix = uniquePrefix('eallog');
      fs.writeFileSync(NOT_PCAP, 'this is no pcap file, only words\n');
      pane = new TmuxPane([process.execPath, mpshBin, '--file-prefix', prefix], columns, rows);
      await pane.waitFor(/primary · prefix mt-eallog/);
    });
    afterEach(async () => {
      await sec?.stop();
      pane.close();
      removePrefixFiles(prefix);
      fs.rmSync(NOT_PCAP, { force: true });
    });

    it("a secondary's failed attach: the primary shows each of its EAL lines once, whole words, before its next command", async () => {
      sec = await mpshShell('secondary', ['--file-prefix', prefix]);
      const refused = await sec.command(`attach net_pcap9,rx_pcap=${NOT_PCAP}`);
      assert.match(refused, /attach net_pcap9 failed/);
      await pane.waitFor(/Failed to hotplug add device on primary/);
      pane.type('pools');
      pane.keys('Enter');
      const screen = await pane.waitFor(/simple_mp > pools\n(.*\n)*MSG_POOL: 0 in use/);
      const lines = screen.split('\n');
      const at = (re: RegExp) => lines.findIndex((l) => re.test(l));
      const opened = at(/open_single_rx_pcap\(\): Couldn't open/);
      const driver = at(/^EAL: Driver cannot attach the device \(net_pcap9\)/);
      const failed = at(/^EAL: Failed to hotplug add device on primary/);
      const echo = at(/^simple_mp > pools/);
      assert.ok(opened >= 0 && opened < driver && driver < failed && failed < echo, screen);
      for (const re of [/Driver cannot attach the device/g, /Failed to hotplug add device/g, /open_single_rx_pcap/g])
        assert.equal(screen.match(re)?.length, 1, `${re} once:\n${screen}`);
      // The driver's line is wider than the terminal: wrapped between words, every word whole.
      const wrapped = lines.slice(opened, driver).join(' ');
      for (const word of `open_single_rx_pcap(): Couldn't open ${NOT_PCAP}: unknown file format`.split(' '))
        assert.ok(wrapped.split(/\s+/).includes(word), `'${word}' whole in:\n${screen}`);
      assert.ok(lines.slice(opened, driver).every((l) => l.length <= columns));
    });

    it("spawn symmetric: ethdev's line for each port, once, after the echo and before the answer, wrapped between words", async () => {
      pane.type('spawn symmetric 1');
      pane.keys('Enter');
      const screen = await pane.waitFor(/forwarding on ports 0, 1: sym0/, 20_000);
      const joined = screen.replace(/\n(?!simple_mp|Ethdev|port |forwarding|configuring|╭)/g, ' ');
      for (const port of [0, 1]) {
        const re = new RegExp(
          `^Ethdev port_id=${port} requested Rx offloads \\S+ doesn't match Rx offloads capabilities \\S+ in rte_eth_dev_configure\\(\\)$`,
          'm',
        );
        assert.match(joined, re, screen);
        assert.equal(screen.split(`Ethdev port_id=${port} `).length - 1, 1, screen);
      }
      const order = ['simple_mp > spawn symmetric 1', 'Ethdev port_id=0', 'Ethdev port_id=1', 'forwarding on ports 0, 1'].map((t) => screen.indexOf(t));
      assert.deepEqual(
        [...order].sort((a, b) => a - b),
        order,
        screen,
      );
      assert.ok(order[0]! >= 0, screen);
    });
  });
}
