/**
 * Tap ports as a user sees them after moving their interfaces into
 * namespaces: `list` says where each interface is and its state there (not
 * "link down"), and `pools` tells the mbufs the tap driver parks in its rx
 * descriptors apart from leaks.
 */
import assert from 'node:assert/strict';
import { adoptPidsIn, mpshShell, removePrefixFiles, sleep, uniquePrefix } from '../../harness/proc.js';
import { TapPair } from '../../harness/tap.js';

describe('tap ports in namespaces: list and pools', function () {
  let prefix: string;
  let tap: TapPair;
  beforeEach(() => {
    prefix = uniquePrefix('tapwhere');
    tap = new TapPair();
  });
  afterEach(() => {
    tap.cleanup();
    removePrefixFiles(prefix);
  });

  it('list names the namespace and the link state there; pools counts the rx descriptors and nothing else is in use at idle', async () => {
    const sh = await mpshShell('shell', ['--file-prefix', prefix, ...tap.vdevs()]);
    adoptPidsIn(await sh.command('spawn symmetric 1'));
    await tap.moveIntoNamespaces();
    assert.equal((await tap.ping(5)).received, 5, 'traffic crosses');
    const list = await sh.command('list');
    assert.match(
      list,
      new RegExp(`\\n0\\tnet_tap0\\tsym0\\tlink up \\(${tap.ifA} in netns ${tap.nsA}\\)\\n1\\tnet_tap1\\tsym0\\tlink up \\(${tap.ifB} in netns ${tap.nsB}\\)$`),
    );
    await sleep(300);
    const pools = await sh.command('pools');
    const m =
      /\nSMP_MBUF_POOL: (\d+) in use[^\n]*\n {2}available: [^\n]*\n {2}parked in rx descriptors: (\d+) \(port 0: 1 rx queue x 1023, port 1: 1 rx queue x 1023; net_tap: one mbuf per rx descriptor, at most 1023 a queue, taken at set-up\); in use beyond that at idle is a leak\n/.exec(
        `\n${pools}\n`,
      );
    assert.ok(m, pools);
    assert.equal(Number(m[2]), 2046);
    assert.equal(Number(m[1]), Number(m[2]), `at idle exactly the parked mbufs are in use:\n${pools}`);
  });
});
