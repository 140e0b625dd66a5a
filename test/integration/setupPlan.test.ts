/**
 * Set-up by need: `npm start` installs what running the shell needs and no
 * test or benchmark tool (no service either); too old a Node gets one line.
 * Runs setup.mjs in its --plan mode (it installs nothing) and its pure
 * version check.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../../harness/proc.js';

const SETUP = path.join(repoRoot, 'scripts/setup.mjs');

function setup(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [SETUP, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 20_000 });
}

/** `<purpose>: <what>: <items>` lines of --plan, by purpose and what. */
function plan(purpose: string): Map<string, string> {
  const r = setup(['--plan', purpose]);
  assert.equal(r.status, 0, r.stderr);
  const out = new Map<string, string>();
  for (const line of r.stdout.trim().split('\n')) {
    const m = /^(\w+): ([^:]+): (.*)$/.exec(line);
    assert.ok(m && m[1] === purpose, `plan line: ${line}`);
    out.set(m[2]!, m[3]!);
  }
  return out;
}

describe('set-up by need (scripts/setup.mjs)', function () {
  it('npm start installs DPDK and the build tools, no test or benchmark tool, and no dev modules', () => {
    const start = plan('start');
    const apt = start.get('apt')!.split(' ');
    for (const tool of ['prometheus', 'prometheus-node-exporter', 'clang-format', 'dpdk-doc', 'tmux', 'iperf3', 'tcpdump'])
      assert.ok(!apt.includes(tool), `start installs ${tool}`);
    for (const need of ['libdpdk-dev', 'dpdk', 'pkg-config', 'g++', 'make', 'python3']) assert.ok(apt.includes(need), `start lacks ${need}`);
    assert.equal(start.has('apt without recommends, service stopped and disabled'), false);
    assert.match(start.get('npm')!, /^npm ci --omit=dev /);
    assert.match(start.get('build')!, /TypeScript of src\/ /);
  });

  it('npm test and CI bring the test tools; prometheus without its recommends and with its service off', () => {
    const test = plan('test');
    for (const tool of ['prometheus', 'dpdk-doc', 'tmux', 'iperf3', 'tcpdump', 'g++'])
      assert.ok(test.get('apt')!.split(' ').includes(tool), `test lacks ${tool}`);
    assert.equal(test.get('apt without recommends, service stopped and disabled'), 'prometheus');
    assert.match(test.get('npm')!, /^npm ci \(every module/);
    assert.ok(plan('ci').get('apt')!.split(' ').includes('clang-format'), 'CI lints native/');
    assert.ok(!plan('bench').get('apt')!.split(' ').includes('prometheus'), 'benchmarks run no exporter test');
  });

  it('too old a Node gets one line from setup (so from npm start and npm test), before anything else', () => {
    const r = setup(['start'], { MPSH_SETUP_NODE_VERSION: '18.20.4' });
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.equal(
      r.stderr,
      "setup: mpsh needs Node.js 20.5 or newer (20.5+ or 22+), this is Node.js 18.20.4 (Debian 12's own nodejs): install Node.js 22 (https://nodejs.org, or NodeSource for Debian) and run it again\n",
    );
  });

  it('the version check itself: 20.5+ and 22+ pass, older and 21 do not', async () => {
    const m = (await import(pathToFileURL(path.join(repoRoot, 'scripts/setupPlan.mjs')).href)) as { nodeVersionProblem(v: string): string | null };
    for (const ok of ['20.5.0', '20.19.2', '22.0.0', 'v24.1.0']) assert.equal(m.nodeVersionProblem(ok), null, ok);
    for (const old of ['18.20.4', '20.4.1', '21.7.3', '16.0.0', '12.22.12'])
      assert.match(m.nodeVersionProblem(old)!, /^mpsh needs Node\.js 20\.5 or newer/, old);
    assert.match(m.nodeVersionProblem('banana')!, /^cannot read the Node\.js version/);
  });
});
