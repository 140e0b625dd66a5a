/** `mpsh symmetric` and `spawn symmetric` refuse bad arguments with one clear line, before any traffic. */
import assert from 'node:assert/strict';
import { mpsh, removePrefixFiles, uniquePrefix, type Proc } from '../../harness/proc.js';

async function refused(p: Proc, re: RegExp): Promise<void> {
  const exit = await p.waitExit(20_000);
  assert.equal(exit.code, 1, p.err);
  const lines = p.err.split('\n').filter((l) => l.startsWith('mpsh:'));
  assert.equal(lines.length, 1, p.err);
  assert.match(lines[0]!, re);
  assert.doesNotMatch(p.out, /Finished Process Init/);
}

describe('symmetric: bad arguments', function () {
  let prefix: string;
  beforeEach(() => (prefix = uniquePrefix('symargs')));
  afterEach(() => removePrefixFiles(prefix));
  const worker = (app: string[], eal: string[] = []) => mpsh('worker', ['symmetric', '--file-prefix', prefix, ...eal, '--', ...app]);

  it('missing, zero and non-hex port masks', async () => {
    await refused(worker(['--num-procs', '1', '--proc-id', '0']), /missing port mask: give -p <hex>/);
    await refused(worker(['-p', '0', '--num-procs', '1', '--proc-id', '0']), /port mask 0 selects no port/);
    await refused(worker(['-p', 'zz', '--num-procs', '1', '--proc-id', '0']), /port mask 'zz' is not hexadecimal/);
  });

  it('an odd number of ports, and ports that do not exist', async () => {
    await refused(worker(['-p', '1', '--num-procs', '1', '--proc-id', '0']), /selects 1 port: forwarding pairs ports, so give an even number/);
    await refused(worker(['-p', 'c', '--num-procs', '1', '--proc-id', '0']), /port mask 0xc selects port 2, 3, but this process has ports 0, 1/);
  });

  it('proc-id not below num-procs, missing proc-id, zero procs', async () => {
    await refused(worker(['-p', '3', '--num-procs', '2', '--proc-id', '2']), /--proc-id 2 is not below --num-procs 2: ids run from 0 to 1/);
    await refused(worker(['-p', '3', '--num-procs', '2']), /missing --proc-id/);
    await refused(worker(['-p', '3', '--num-procs', '0', '--proc-id', '0']), /--num-procs must be at least 1/);
    await refused(worker(['-p', '3', '--bogus']), /unknown symmetric option '--bogus'/);
    await refused(
      worker(['-p', '3', '--num-procs', '1', '--proc-id', '0', '--idle', 'sometimes']),
      /--idle sometimes: the idle policy is one of poll, interrupt, adaptive/,
    );
    await refused(worker(['-p', '3', '--num-procs', '1', '--proc-id', '0', '--idle']), /--idle needs a policy: poll, interrupt, adaptive/);
  });

  it("num-procs above the ports' queue limit", async () => {
    await refused(worker(['-p', '3', '--num-procs', '5000', '--proc-id', '0']), /--num-procs 5000: port 0 \(net_null\) has at most \d+ queues/);
  });

  it('a secondary whose num-procs does not match the primary, or whose proc-id is taken', async () => {
    const primary = worker(['-p', '3', '--num-procs', '2', '--proc-id', '0']);
    await primary.waitFor(/Finished Process Init/, 20_000);
    await refused(
      worker(['-p', '3', '--num-procs', '3', '--proc-id', '1']),
      /--num-procs 3 does not match the primary, which configured 2 queues per port: use --num-procs 2/,
    );
    await refused(worker(['-p', '3', '--num-procs', '2', '--proc-id', '0']), /proc-id 0 is already forwarding in pid \d+/);
    // The primary was not disturbed by either.
    primary.signal('SIGINT');
    assert.equal((await primary.waitExit()).code, 0);
    assert.match(primary.out, /Exiting on signal 2\n\nPort 0: RX - [1-9]\d*, TX - \d+, Drop - \d+\nPort 1: RX - [1-9]\d*/);
  });

  it('spawn refuses bad requests in the shell, one line each, and the shell goes on', async () => {
    const sh = mpsh('shell', ['--file-prefix', prefix]);
    await sh.waitFor(/simple_mp > /, 20_000);
    assert.match(await sh.command('spawn'), /^spawn: usage: spawn symmetric <N>/);
    assert.match(await sh.command('spawn rockets 2'), /^spawn: cannot spawn 'rockets'/);
    assert.match(await sh.command('spawn symmetric'), /^spawn: how many workers\?/);
    assert.match(await sh.command('spawn symmetric 0'), /the number of workers must be 1 \.\. 64/);
    assert.match(await sh.command('spawn symmetric 2 --portmask 1'), /selects 1 port: forwarding pairs ports/);
    assert.match(await sh.command('spawn symmetric 2 --portmask 4'), /port mask 0x4 selects port 2, but this process has ports 0, 1/);
    assert.match(await sh.command('spawn symmetric 2 --portmask'), /--portmask needs a hexadecimal mask/);
    assert.match(await sh.command('spawn symmetric 1 --idle sometimes'), /--idle sometimes: the idle policy is one of poll, interrupt, adaptive/);
    assert.match(await sh.command('spawn client 0 --idle'), /--idle needs a policy: poll, interrupt or adaptive/);
    assert.match(await sh.command('kill nobody'), /no process named 'nobody'/);
    assert.match(await sh.command('restart nobody'), /no restartable process named 'nobody'/);
    assert.match(await sh.command('kill -HUP sym0'), /unknown signal '-HUP'/);
    assert.match(await sh.command('stats --yaml'), /usage: stats \[--json\]/);
    assert.match(await sh.command('ps'), /no processes/);
  });
});
