/**
 * Losing the terminal is a normal way for a shell to end: the window closes
 * (tmux kill-session), or the reader of its output goes away. It must end as
 * `quit` does: children stopped, EAL cleaned up, exit 0, no abort.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { adopt, mpsh, mpshBin, removePrefixFiles, uniquePrefix } from '../../harness/proc.js';
import { TmuxPane } from '../tty/pane.js';
import { until } from '../helpers/until.js';
import { pidAlive } from '../../src/core/os/pids.js';

/**
 * A pane command that outlives the closed terminal (its shell ignores SIGHUP;
 * mpsh installs its own handler) and writes mpsh's exit status to a file, so
 * the test learns how the shell ended. `stderr` redirects mpsh's stderr to a
 * file, to read what Node prints if it aborts.
 */
function shellInPane(prefix: string, exitFile: string, stderr?: string): string[] {
  const redirect = stderr ? ` 2>'${stderr}'` : '';
  const script = `trap '' HUP; '${process.execPath}' '${mpshBin}' --file-prefix ${prefix}${redirect}; echo $? > '${exitFile}'`;
  return ['sh', '-c', script];
}

/** What EAL would leave if the process died instead of cleaning up. */
function leftovers(prefix: string): string[] {
  const run = `/var/run/dpdk/${prefix}`;
  const runtime = fs.existsSync(run) ? fs.readdirSync(run).filter((f) => /^mp_socket|telemetry/.test(f)) : [];
  const pages = fs.readdirSync('/dev/hugepages').filter((f) => f.startsWith(`${prefix}map_`));
  return [...runtime, ...pages];
}

describe('terminal loss', function () {
  let prefix: string;
  let dir: string;
  let pane: TmuxPane | undefined;
  beforeEach(() => {
    prefix = uniquePrefix('hup');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpsh-hup-'));
  });
  afterEach(() => {
    pane?.close();
    pane = undefined;
    removePrefixFiles(prefix);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const withWorker of [false, true]) {
    it(`tmux kill-session on a TTY shell${withWorker ? ' with a worker' : ''}: exit 0, no abort, ${withWorker ? 'worker stopped, ' : ''}no socket or hugepage file left`, async () => {
      const exitFile = path.join(dir, 'exit.json');
      const errFile = path.join(dir, 'stderr');
      // stderr to a file, to read what Node prints if it aborts; stdin and stdout stay on the terminal.
      pane = new TmuxPane(shellInPane(prefix, exitFile, errFile));
      await pane.waitFor(/primary · prefix mt-hup/);
      let workerPid = 0;
      if (withWorker) {
        pane.type('spawn symmetric 1');
        pane.keys('Enter');
        workerPid = Number(/sym0 \(pid (\d+)\)/.exec(await pane.waitFor(/sym0 \(pid \d+\)/, 20_000))![1]);
        adopt(workerPid);
      }
      assert.ok(leftovers(prefix).length > 0, 'a running shell has its socket and hugepages');
      pane.close();
      pane = undefined;
      const exit = await until('the shell to exit', () =>
        fs.existsSync(exitFile) && fs.readFileSync(exitFile, 'utf8').endsWith('\n') ? fs.readFileSync(exitFile, 'utf8') : undefined,
      );
      const err = fs.readFileSync(errFile, 'utf8');
      assert.doesNotMatch(err, /Assertion|Native stack|mpsh:/, err);
      assert.equal(exit.trim(), '0', err);
      if (withWorker) assert.equal(pidAlive(workerPid), false, 'the worker was stopped');
      assert.deepEqual(leftovers(prefix), []);
    });
  }

  it('a TTY shell whose every stdio is the terminal exits 0 when it closes', async () => {
    const exitFile = path.join(dir, 'exit.json');
    pane = new TmuxPane(shellInPane(prefix, exitFile));
    await pane.waitFor(/primary · prefix mt-hup/);
    pane.close();
    pane = undefined;
    const exit = await until('the shell to exit', () =>
      fs.existsSync(exitFile) && fs.readFileSync(exitFile, 'utf8').endsWith('\n') ? fs.readFileSync(exitFile, 'utf8') : undefined,
    );
    assert.equal(exit.trim(), '0', 'exit status (134 is an abort)');
    assert.deepEqual(leftovers(prefix), []);
  });

  it('line mode: the reader of stdout goes away (EPIPE), the shell ends as on quit', async () => {
    const sh = mpsh('primary', ['--file-prefix', prefix]);
    await sh.waitFor(/simple_mp > /, 20_000);
    sh.child.stdout!.destroy();
    sh.write('help');
    assert.deepEqual(await sh.waitExit(), { code: 0, signal: null });
    assert.doesNotMatch(sh.err, /Error|Assertion/);
    assert.deepEqual(leftovers(prefix), []);
  });
});
