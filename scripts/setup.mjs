#!/usr/bin/env node
// Idempotent bootstrap run by `npm start`, `npm test` and `npm run bench`:
// installs or builds only what is missing or stale, one line per step.
// Plain Node with no dependencies: it runs before node_modules exists.
//
//   node scripts/setup.mjs               everything
//   node scripts/setup.mjs --build-only  node modules, native and TypeScript builds
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const buildOnly = process.argv.includes('--build-only');
const isRoot = process.getuid?.() === 0;

// Debian packages: DPDK itself, pkg-config to find it, the stock samples'
// sources (benchmarks and interop tests build them), dpdk-telemetry.py
// (dpdk-dev) and promtool/prometheus for the observability tests, tmux for
// the TTY test, real traffic through tap ports (tests and bench): ping,
// iperf3, tcpdump, and clang-format for `npm run lint` and `npm run format` on native/.
const PACKAGES = ['libdpdk-dev', 'dpdk', 'dpdk-doc', 'dpdk-dev', 'pkg-config', 'tmux', 'prometheus', 'iputils-ping', 'iperf3', 'tcpdump', 'clang-format'];
// 512 MB of 2 MB pages is the minimum; tests run several packet processes at once.
const MIN_HUGEPAGES = 256;
const WANT_HUGEPAGES = 1024;
const HUGE_SYSFS = '/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages';
const HUGE_MOUNT = '/dev/hugepages';

const say = (msg) => process.stderr.write(`setup: ${msg}\n`);
function die(msg) {
  process.stderr.write(`setup: ${msg}\n`);
  process.exit(1);
}
// Runs a step quietly; its output is shown only when it fails.
function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
  if (r.status !== 0) {
    process.stderr.write(`${r.stdout ?? ''}${r.stderr ?? ''}`);
    die(`'${cmd} ${args.join(' ')}' failed (exit ${r.status ?? r.signal})`);
  }
}
function newestMtime(paths) {
  let newest = 0;
  const visit = (p) => {
    if (!fs.existsSync(p)) return;
    const st = fs.statSync(p);
    if (st.isDirectory()) for (const e of fs.readdirSync(p)) visit(path.join(p, e));
    else newest = Math.max(newest, st.mtimeMs);
  };
  paths.forEach((p) => visit(path.join(root, p)));
  return newest;
}
const mtime = (p) => (fs.existsSync(path.join(root, p)) ? fs.statSync(path.join(root, p)).mtimeMs : 0);

function debianPackages() {
  const missing = PACKAGES.filter((p) => {
    const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', p], { encoding: 'utf8' });
    return r.status !== 0 || !r.stdout.includes('install ok installed');
  });
  if (missing.length === 0) return say(`Debian packages present (${PACKAGES.join(' ')})`);
  const cmd = `apt-get update && apt-get install -y ${missing.join(' ')}`;
  if (!isRoot) die(`missing Debian packages: ${missing.join(' ')}. As root, run: ${cmd}`);
  say(`installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-qq'], { env });
  run('apt-get', ['install', '-y', '-qq', ...missing], { env });
}

function nodeModules() {
  const stamp = 'node_modules/.package-lock.json';
  if (mtime(stamp) && mtime(stamp) >= mtime('package-lock.json') && fs.existsSync(path.join(root, 'node_modules/ink'))) {
    return say('node modules up to date');
  }
  say('installing node modules (npm ci)');
  run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error']);
}

function nativeBuild() {
  const out = 'native/build/Release/mpsh.node';
  if (mtime(out) && mtime(out) >= newestMtime(['native/src', 'native/binding.gyp'])) {
    return say('native addon up to date');
  }
  say('building the native addon (node-gyp, pkg-config libdpdk)');
  // Build against this Node's own headers: node-gyp would otherwise download them.
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  const nodedir = fs.existsSync(path.join(prefix, 'include/node/node_api.h')) ? [`--nodedir=${prefix}`] : [];
  run(path.join(root, 'node_modules/.bin/node-gyp'), ['rebuild', '-C', 'native', '--loglevel=error', ...nodedir]);
}

function tsBuild() {
  const stamp = 'dist/.build-stamp';
  if (mtime(stamp) && mtime(stamp) >= newestMtime(['src', 'test', 'bench', 'harness', 'tsconfig.json'])) {
    return say('TypeScript build up to date');
  }
  say('compiling TypeScript (tsc)');
  // A fresh output tree: a source that moved or went would otherwise leave
  // its old .js behind, and mocha's dist/test/**/*.test.js would run it.
  fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true });
  run(path.join(root, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json']);
  fs.writeFileSync(path.join(root, stamp), `${new Date().toISOString()}\n`);
}

function hugepageMounted() {
  return fs
    .readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .some((l) => l.split(' ')[2] === 'hugetlbfs');
}

function hugepages() {
  const pages = () => Number(fs.readFileSync(HUGE_SYSFS, 'utf8').trim());
  let have = pages();
  const mounted = hugepageMounted();
  if ((have >= WANT_HUGEPAGES || (have >= MIN_HUGEPAGES && !isRoot)) && mounted) {
    return say(`hugepages ready (${have} x 2 MB, hugetlbfs mounted)`);
  }
  const fix = `echo ${WANT_HUGEPAGES} > ${HUGE_SYSFS}; mkdir -p ${HUGE_MOUNT}; mount -t hugetlbfs nodev ${HUGE_MOUNT}`;
  if (!isRoot) die(`hugepages missing (${have} x 2 MB, hugetlbfs ${mounted ? '' : 'not '}mounted). As root, run: ${fix}`);
  if (have < WANT_HUGEPAGES) {
    // Only ever raised: lowering could pull pages from under running processes.
    fs.writeFileSync(HUGE_SYSFS, String(WANT_HUGEPAGES));
    have = pages();
    if (have < MIN_HUGEPAGES) die(`asked for ${WANT_HUGEPAGES} hugepages, the kernel gave ${have}: free memory, then run: ${fix}`);
    say(`reserved ${have} x 2 MB hugepages`);
  }
  if (!mounted) {
    fs.mkdirSync(HUGE_MOUNT, { recursive: true });
    execFileSync('mount', ['-t', 'hugetlbfs', 'nodev', HUGE_MOUNT]);
    say(`mounted hugetlbfs on ${HUGE_MOUNT}`);
  }
}

if (!buildOnly) debianPackages();
nodeModules();
nativeBuild();
tsBuild();
if (!buildOnly) hugepages();
