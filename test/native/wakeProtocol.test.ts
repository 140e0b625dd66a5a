/**
 * The wake-up protocol between a producer and a sleeping consumer
 * (native/src/idle/wake_word.h), under stress across two processes: the
 * producer is registered as light (no fence per enqueue, as the server on
 * its packet path), and the consumer's heavy barrier before each sleep must
 * still keep every wake. wake_stress.cc is built here from the same source
 * file the addon compiles, against the same DPDK, in a temporary directory.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../../harness/repo.js';

const NATIVE_SRC = path.join(ROOT, 'native', 'src');
/** Round trips. With the consumer's heavy barrier removed, 300,000 of them lost 1 to 99 wakes (median 8) in 9 runs on this VM. */
const TRIPS = 400_000;
/** The producer's pause between items, in spin iterations: short enough to land inside the consumer's way to sleep. */
const MAX_PAUSE = 8;

function pkgConfig(flag: string): string[] {
  const r = spawnSync('pkg-config', [flag, 'libdpdk'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`pkg-config ${flag} libdpdk failed: ${r.stderr}`);
  return r.stdout.trim().split(/\s+/);
}

describe('wake protocol across two processes', function () {
  this.timeout(120_000);
  let dir: string;
  let binary: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpsh-wake-'));
    binary = path.join(dir, 'wake_stress');
    const args = [
      '-O2',
      '-std=c++17',
      `-I${NATIVE_SRC}`,
      ...pkgConfig('--cflags'),
      path.join(ROOT, 'test', 'native', 'wake_stress.cc'),
      path.join(NATIVE_SRC, 'idle', 'wake_word.cc'),
      '-o',
      binary,
      ...pkgConfig('--libs'),
    ];
    const r = spawnSync('g++', args, { encoding: 'utf8' });
    assert.equal(r.status, 0, `building wake_stress failed:\n${r.stderr}`);
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a light producer never leaves the consumer asleep on an item', () => {
    const r = spawnSync(binary, [String(TRIPS), String(MAX_PAUSE)], { encoding: 'utf8', timeout: 100_000 });
    assert.equal(r.status, 0, `wake_stress: ${r.error?.message ?? ''} ${r.stderr}`);
    const out = JSON.parse(r.stdout.trim()) as { light: number; trips: number; waits: number; slept_on_item: number };
    assert.equal(out.light, 1, 'the producer could not register for membarrier: the light path went untested');
    assert.equal(out.trips, TRIPS);
    // The consumer really went to sleep between items, most of the time.
    assert.ok(out.waits >= TRIPS / 2, `only ${out.waits} waits in ${TRIPS} round trips`);
    assert.equal(out.slept_on_item, 0, `${out.slept_on_item} waits slept on an item that was there: wakes were lost`);
  });
});
