/**
 * `capture` under careless and hostile use (issue 19 items 2, 8, 9, 10):
 * a FIFO with no reader, existing files, bad options, a full disk and
 * files that cannot be written. The shell never blocks, never truncates what
 * it was not told to, and says the real reason in one line.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { adoptPidsIn, mpshShell, removePrefixFiles, uniquePrefix, type Proc } from '../../harness/proc.js';
import { statsUntil } from '../helpers/stats.js';

/** Enhanced Packet Blocks in a little-endian pcapng file, and whether its last block ends exactly at its end. */
function pcapngBlocks(file: string): { packets: number; whole: boolean } {
  const b = fs.readFileSync(file);
  let n = 0;
  let off = 0;
  while (off + 8 <= b.length) {
    const len = b.readUInt32LE(off + 4);
    if (len < 12 || off + len > b.length) break;
    if (b.readUInt32LE(off) === 6) n++;
    off += len;
  }
  return { packets: n, whole: off === b.length };
}

const openFds = (pid: number) => fs.readdirSync(`/proc/${pid}/fd`).length;

describe('capture: files it must not block on, truncate or half-write', function () {
  let prefix: string;
  let dir: string;
  let sh: Proc;
  beforeEach(async () => {
    prefix = uniquePrefix('capsafe');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpsh-capsafe-'));
    sh = await mpshShell('shell', ['--file-prefix', prefix], { cwd: dir });
    adoptPidsIn(await sh.command('spawn symmetric 1'));
    await statsUntil(sh, (x) => x.ports.reduce((n, p) => n + p.rx, 0) > 100, 10_000, 'traffic');
  });
  afterEach(async () => {
    await sh.stop();
    removePrefixFiles(prefix);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a FIFO with no reader is refused in one line; the shell stays responsive', async () => {
    const fifo = path.join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    let unblock: NodeJS.Timeout | undefined;
    try {
      // Before the fix the shell sat in open(2): this reader let it out after 8 s.
      unblock = setTimeout(
        () => fs.open(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK, (e, fd) => !e && setTimeout(() => fs.closeSync(fd), 500)),
        8000,
      );
      const t0 = Date.now();
      const out = await sh.command(`capture sym0 ${fifo} --count 5`, 15_000);
      assert.ok(Date.now() - t0 < 5000, `answered in ${Date.now() - t0} ms`);
      assert.match(out, /pipe.*FIFO.*regular file/);
      assert.match(await sh.command('ps'), /sym0/);
    } finally {
      clearTimeout(unblock);
    }
  });

  it('never truncates an existing file unless --force; bad options touch nothing and leak no descriptor', async () => {
    const file = path.join(dir, 'big1.pcapng');
    fs.writeFileSync(file, 'precious data');
    const fds = openFds(sh.pid); // the first try too: nothing (pool, ring) is made for a refused file
    for (let i = 0; i < 10; i++) {
      assert.match(await sh.command(`capture sym0 ${file} --count 5 --direction sideways`), /--direction is rx, tx or both/);
      assert.match(await sh.command(`capture sym0 ${file} --count 5`), /big1\.pcapng exists.*--force/);
    }
    assert.equal(fs.readFileSync(file, 'utf8'), 'precious data');
    assert.equal(openFds(sh.pid), fds, 'no descriptor left per refused try');
    // A 64-bit count is a count (it once failed after truncating).
    assert.match(await sh.command(`capture sym0 ${path.join(dir, 'new.pcapng')} --count 4294967296`), /for 4294967296 packets/);
    assert.match(await sh.command('capture stop'), /captured \d+ packets/);
    await sh.command(`capture sym0 ${file} --count 5 --force`);
    await sh.waitFor(/captured 5 packets to .*big1\.pcapng/, 10_000);
    assert.equal(pcapngBlocks(file).packets, 5);
  });

  it('--duration beyond what a timer can hold is refused in one line, with no Node warning', async () => {
    const out = await sh.command(`capture sym0 ${path.join(dir, 'long.pcapng')} --duration 3000000`);
    assert.match(out, /--duration is at most \d+ s/);
    assert.doesNotMatch(sh.out + sh.err, /TimeoutOverflowWarning/);
    assert.ok(!fs.existsSync(path.join(dir, 'long.pcapng')), 'no file made');
  });

  it('/dev/full and /proc/version give their real errno', async () => {
    assert.match(await sh.command('capture sym0 /dev/full --count 5'), /\/dev\/full.*No space left on device/);
    assert.match(await sh.command('capture sym0 /proc/version --count 5'), /\/proc\/version.*Input\/output error/);
    assert.match(await sh.command('capture stop'), /no capture is running/);
  });

  it('a full disk: stops at the first failed write, the file ends on a block, the line says how many and ENOSPC', async function () {
    this.timeout(120_000);
    const mnt = fs.mkdtempSync(path.join(os.tmpdir(), 'mpsh-full-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mnt]);
    try {
      const file = path.join(mnt, 'full.pcapng');
      await sh.command(`capture sym0 ${file} --count 50000`);
      const m = await sh.waitFor(/captured (\d+) packets to .*full\.pcapng.*\n/, 60_000);
      assert.match(m[0], /ENOSPC/);
      const { packets, whole } = pcapngBlocks(file);
      assert.equal(packets, Number(m[1]), m[0]);
      assert.ok(packets > 0 && packets < 50000, `${packets} packets`);
      assert.ok(whole, 'the file ends on a block boundary');
      const read = execFileSync('tcpdump', ['-n', '-r', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
      assert.equal(read.trim().split('\n').length, packets);
    } finally {
      execFileSync('umount', [mnt]);
      fs.rmdirSync(mnt);
    }
  });
});

describe('capture: the slot of a killed shell', function () {
  let prefix: string;
  let dir: string;
  beforeEach(() => {
    prefix = uniquePrefix('capdead');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpsh-capdead-'));
  });
  afterEach(() => {
    removePrefixFiles(prefix);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('kill -9 of a capturing shell frees its capture slot: another shell captures the same worker', async () => {
    const primary = await mpshShell('primary', ['--file-prefix', prefix], { cwd: dir });
    adoptPidsIn(await primary.command('spawn symmetric 1'));
    await statsUntil(primary, (x) => x.ports.reduce((n, p) => n + p.rx, 0) > 100, 10_000, 'traffic');
    const first = await mpshShell('first', ['--file-prefix', prefix], { cwd: dir });
    assert.match(await first.command(`capture sym0 ${path.join(dir, 'a.pcapng')}`), /capturing sym0/);
    first.signal('SIGKILL');
    await first.waitExit();
    const second = await mpshShell('second', ['--file-prefix', prefix], { cwd: dir });
    assert.match(await second.command(`capture sym0 ${path.join(dir, 'b.pcapng')} --count 10`), /capturing sym0/);
    await second.waitFor(/captured 10 packets to .*b\.pcapng/, 10_000);
    assert.equal(pcapngBlocks(path.join(dir, 'b.pcapng')).packets, 10);
    // A live owner still holds its slot.
    assert.match(await second.command(`capture sym0 ${path.join(dir, 'c.pcapng')}`), /capturing sym0/);
    assert.match(await primary.command(`capture sym0 ${path.join(dir, 'd.pcapng')}`), /already running \(shell pid \d+\)/);
    assert.match(await second.command('capture stop'), /captured \d+ packets/);
    await second.stop();
    await primary.stop();
  });
});
