/**
 * Whatever ends the shell, its children and files go with it (issue 19 item
 * 6 and item 1's rule): a shell started as a background job of its terminal
 * (`timeout 1200 mpsh` in a non-interactive sh, `mpsh &` in an interactive
 * bash) used to stop on SIGTTOU with EAL up and stay stopped after the
 * terminal closed; catchable fatal signals other than INT, TERM and HUP
 * killed it on the spot, its worker forwarding on orphaned.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { adoptPidsIn, mpshBin, mpshShell, removePrefixFiles, uniquePrefix } from '../../harness/proc.js';
import { TmuxPane } from '../tty/pane.js';
import { until } from '../helpers/until.js';
import { pidAlive } from '../../src/core/os/pids.js';

/** What the prefix left: runtime directory and hugepage files. */
function leftovers(prefix: string): string[] {
  const run = `/var/run/dpdk/${prefix}`;
  return [...(fs.existsSync(run) ? [run] : []), ...fs.readdirSync('/dev/hugepages').filter((f) => f.startsWith(`${prefix}map_`))];
}

describe('the shell takes its children and files with it', function () {
  let prefix: string;
  let dir: string;
  let pane: TmuxPane | undefined;
  beforeEach(() => {
    prefix = uniquePrefix('death');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpsh-death-'));
  });
  afterEach(() => {
    pane?.close();
    pane = undefined;
    removePrefixFiles(prefix); // also kills a shell left stopped
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const exitOf = (file: string) => (fs.existsSync(file) && fs.readFileSync(file, 'utf8').endsWith('\n') ? fs.readFileSync(file, 'utf8').trim() : undefined);

  it('timeout 1200 mpsh in a terminal (a background process group): refused before EAL in one line, nothing left', async () => {
    const exitFile = path.join(dir, 'exit');
    const errFile = path.join(dir, 'err');
    pane = new TmuxPane(['sh', '-c', `timeout 1200 '${process.execPath}' '${mpshBin}' --file-prefix ${prefix} 2>'${errFile}'; echo $? > '${exitFile}'`]);
    assert.equal(await until('the shell to exit', () => exitOf(exitFile)), '1');
    assert.match(fs.readFileSync(errFile, 'utf8'), /^mpsh: started as a background job: .*run mpsh in the foreground/);
    assert.deepEqual(leftovers(prefix), []);
  });

  it('mpsh & in an interactive bash: refused in one line, nothing left', async () => {
    const errFile = path.join(dir, 'err');
    pane = new TmuxPane(['bash', '--norc', '--noprofile', '-i']);
    await pane.waitFor(/bash.*[#$]/);
    pane.type(`'${process.execPath}' '${mpshBin}' --file-prefix ${prefix} 2>'${errFile}' &`);
    pane.keys('Enter');
    await until('the refusal', () => (/background job/.test(fs.existsSync(errFile) ? fs.readFileSync(errFile, 'utf8') : '') ? true : undefined));
    assert.deepEqual(leftovers(prefix), []);
  });

  for (const sig of ['SIGQUIT', 'SIGUSR2', 'SIGALRM'] as const) {
    it(`${sig} to a shell with a worker: the worker stops and nothing is left`, async () => {
      const sh = await mpshShell('shell', ['--file-prefix', prefix]);
      const out = await sh.command('spawn symmetric 1');
      adoptPidsIn(out);
      const worker = Number(/\(pid (\d+)\)/.exec(out)![1]);
      sh.signal(sig);
      const exit = await sh.waitExit(15_000);
      assert.equal(exit.signal, null, `ended through its clean-up, not killed by ${sig}`);
      await until('the worker to stop', () => (pidAlive(worker) ? undefined : true), 10_000);
      assert.deepEqual(leftovers(prefix), []);
    });
  }
});
