/**
 * Starts that cannot work are refused before EAL or a file is touched
 * (issue 19 items 3 and 7, issue 18 item 15): one accurate line, and no
 * runtime directory, lcore lock or hugepage file left; devargs naming a
 * FIFO block no process, at start or on attach.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mpsh, mpshBin, mpshShell, removePrefixFiles, uniquePrefix, type Proc } from '../../harness/proc.js';

/** Everything a prefix has on disk: runtime directories (root's and a user's) and hugepage files. */
function leftovers(prefix: string): string[] {
  const found = [`/var/run/dpdk/${prefix}`, `/tmp/dpdk/${prefix}`].filter((d) => fs.existsSync(d));
  return [...found, ...fs.readdirSync('/dev/hugepages').filter((f) => f.startsWith(`${prefix}map_`))];
}

async function refused(p: Proc): Promise<string> {
  const exit = await p.waitExit(20_000);
  assert.equal(exit.code, 1, p.err);
  const lines = p.err.trim().split('\n');
  assert.equal(lines.length, 1, `one line:\n${p.err}`);
  return lines[0]!;
}

describe('refused starts leave nothing', function () {
  let prefix: string;
  let dir: string;
  beforeEach(() => {
    prefix = uniquePrefix('refused');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpsh-refused-'));
  });
  afterEach(() => {
    removePrefixFiles(prefix);
    fs.rmSync(`/tmp/dpdk/${prefix}`, { recursive: true, force: true });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the exporter as primary or auto: one line, no files; with no primary it waits, suggests nothing, and leaves nothing', async () => {
    for (const type of ['primary', 'auto']) {
      const line = await refused(mpsh('exporter', ['exporter', '--file-prefix', prefix, `--proc-type=${type}`, '--', '--listen', '127.0.0.1:19999']));
      assert.match(line, /exporter runs as a secondary only/);
      assert.deepEqual(leftovers(prefix), [], `after --proc-type=${type}`);
    }
    // No primary yet: it waits for one (the app's restart; see appLifecycle), touching nothing of the prefix.
    const waiting = mpsh('exporter', ['exporter', '--file-prefix', prefix, '--', '--listen', '127.0.0.1:19999']);
    const said = (await waiting.waitFor(/waiting for a primary[^\n]*\n/, 20_000, 'err'))[0];
    assert.doesNotMatch(said, /proc-type=auto/, 'the exporter refuses auto: it must not suggest it');
    assert.deepEqual(leftovers(prefix), [], 'while waiting');
    waiting.signal('SIGTERM');
    await waiting.waitExit(10_000);
    assert.deepEqual(leftovers(prefix), []);
  });

  it('every role started as a secondary with no primary: one line, no lcore lock or runtime directory', async () => {
    const roles: string[][] = [
      ['shell', '--proc-type=secondary', '--', '--line'],
      ['symmetric', '--proc-type=secondary', '--', '-p', '3', '--num-procs', '1', '--proc-id', '0'],
      ['server', '--proc-type=secondary', '--', '-p', '3', '-n', '1'],
      ['client', '--proc-type=secondary', '--', '-n', '0'],
    ];
    for (const [role, ...args] of roles) {
      const line = await refused(mpsh(role!, [role!, '--file-prefix', prefix, ...args]));
      assert.match(line, /no primary process is running for file prefix/, role);
      assert.deepEqual(leftovers(prefix), [], role);
    }
  });

  it('a user without access to the hugepages: told it is permission, nothing left in /tmp/dpdk', async () => {
    const out = execFileSync(
      'sh',
      [
        '-c',
        `setpriv --reuid=nobody --regid=nogroup --clear-groups env -u XDG_RUNTIME_DIR HOME=/tmp ${mpshBin} --file-prefix ${prefix} -- --line </dev/null 2>&1; echo rc=$?`,
      ],
      { encoding: 'utf8' },
    );
    assert.match(out, /permission denied: this user \(uid \d+\) cannot create hugepage files in \/dev\/hugepages/);
    assert.doesNotMatch(out, /no usable hugepages/);
    assert.match(out, /rc=1/);
    assert.deepEqual(leftovers(prefix), []);
  });

  it('a --vdev naming a FIFO at start: refused at once, no files', async () => {
    const fifo = path.join(dir, 'in.pipe');
    execFileSync('mkfifo', [fifo]);
    const line = await refused(mpsh('fifo vdev', ['--file-prefix', prefix, `--vdev=net_pcap0,rx_pcap=${fifo}`, '--', '--line']));
    assert.match(line, /rx_pcap=.*in\.pipe is a FIFO, not a regular file/);
    assert.deepEqual(leftovers(prefix), []);
  });

  it('attach of a pcap device reading a FIFO: refused in one line, and hotplug keeps working', async () => {
    const fifo = path.join(dir, 'in.pipe');
    execFileSync('mkfifo', [fifo]);
    const sh = await mpshShell('shell', ['--file-prefix', prefix], { cwd: dir });
    // Before the fix the shell sat waiting for a writer: this one let it out after 8 s.
    const unblock = setTimeout(() => fs.open(fifo, fs.constants.O_RDWR, (e, fd) => !e && setTimeout(() => fs.closeSync(fd), 500)), 8000);
    try {
      const t0 = Date.now();
      const out = await sh.command('attach net_pcap13,rx_pcap=in.pipe', 15_000);
      assert.ok(Date.now() - t0 < 5000, `answered in ${Date.now() - t0} ms`);
      assert.match(out, /net_pcap13: rx_pcap=in\.pipe is a FIFO, not a regular file/);
      assert.match(await sh.command('attach net_null13'), /attached/);
    } finally {
      clearTimeout(unblock);
      await sh.stop();
    }
  });
});
