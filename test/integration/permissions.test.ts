/**
 * What a shell leaves in /var/run/dpdk is for its own user only, whatever
 * the umask: the runtime directory 0700 (as EAL makes it), sockets and lock
 * files with no group or other bits, so another user can neither connect to
 * the multi-process or telemetry socket nor read the lcore claims.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { mpshBin, Proc, removePrefixFiles, uniquePrefix } from '../../harness/proc.js';
import { runtimeDirOf } from '../../src/core/dpdk/ealOptions.js';

const mode = (p: string) => fs.statSync(p).mode & 0o777;

/** Every file under `dir` with its mode, e.g. 'mp_socket 755'. */
function modes(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => `${f} ${mode(path.join(dir, f)).toString(8)}`)
    .sort();
}

describe('runtime file permissions', function () {
  let prefix: string;
  beforeEach(() => (prefix = uniquePrefix('perm')));
  afterEach(() => removePrefixFiles(prefix));

  it('under umask 000, with a runtime dir an older run left 0755: dir 0700, sockets and locks owner-only, another user cannot connect', async () => {
    const dir = runtimeDirOf(prefix);
    fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
    fs.chmodSync(dir, 0o755);
    const sh = new Proc('primary', 'sh', ['-c', `umask 000; exec '${process.execPath}' '${mpshBin}' --file-prefix ${prefix}`]);
    await sh.waitFor(/simple_mp > /, 20_000);
    // A worker: a secondary's sockets and lcore claims too, made under the same umask.
    assert.match(await sh.command('spawn symmetric 1', 30_000), /forwarding on ports 0, 1: sym0/);

    assert.equal(mode(dir).toString(8), '700');
    assert.equal(mode(path.join(dir, 'mpsh')).toString(8), '700');
    const files = modes(dir);
    const sockets = files.filter((f) => /^(mp_socket|dpdk_telemetry)/.test(f));
    const locks = files.filter((f) => /\.lock /.test(f));
    assert.ok(
      sockets.some((f) => /^mp_socket_\d+/.test(f)),
      `a secondary's socket among ${files.join(', ')}`,
    );
    assert.ok(
      sockets.some((f) => f.startsWith('dpdk_telemetry')),
      `the telemetry socket among ${files.join(', ')}`,
    );
    assert.ok(locks.length >= 4, `the shell's and the worker's lcore claims among ${files.join(', ')}`);
    const open = files.filter((f) => !f.startsWith('mpsh ') && !/ [0-7]00$/.test(f));
    assert.deepEqual(open, [], 'no group or other bits on anything in the runtime directory');

    // Another user is refused at the directory.
    const telemetry = path.join(dir, 'dpdk_telemetry.v2');
    const probe = `require('net').connect(${JSON.stringify(telemetry)}).on('connect',()=>{console.log('connected');process.exit(0)}).on('error',e=>{console.log(e.code);process.exit(0)})`;
    const asNobody = execFileSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '-e', probe], { encoding: 'utf8' });
    assert.equal(asNobody.trim(), 'EACCES');
    sh.write('quit');
    assert.deepEqual(await sh.waitExit(20_000), { code: 0, signal: null });
  });
});
