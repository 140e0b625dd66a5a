#!/usr/bin/env node
// Idempotent bootstrap run by `npm start`, `npm test`, `npm run bench` and
// CI: installs or builds only what is missing or stale for that purpose,
// one line per step. `npm start` gets what running the shell needs and
// nothing that starts a service (scripts/setupPlan.mjs says what each
// purpose needs). Plain Node with no dependencies: it runs before
// node_modules exists, and parses on old Node to say it is too old.
//
//   node scripts/setup.mjs [start|test|bench|ci]  set up for that purpose (default start)
//   node scripts/setup.mjs --plan [purpose]        print what it would install and build, do nothing
//   node scripts/setup.mjs --build-only           node modules, native and TypeScript builds (all of it)
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeVersionProblem, planFor, planLines, PURPOSES, QUIET_SERVICES } from './setupPlan.mjs';

// First: on a Node too old for mpsh, one line and nothing else. The
// variable lets tests fake the version (nodeVersionProblem is unit-tested).
var tooOld = nodeVersionProblem(process.env.MPSH_SETUP_NODE_VERSION || process.versions.node);
if (tooOld) {
  process.stderr.write('setup: ' + tooOld + '\n');
  process.exit(1);
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const buildOnly = args.includes('--build-only');
const planOnly = args.includes('--plan');
const purposes = args.filter((a) => !a.startsWith('--'));
const unknown = purposes.filter((p) => !PURPOSES.includes(p)).concat(args.filter((a) => a.startsWith('--') && a !== '--build-only' && a !== '--plan'));
if (unknown.length || purposes.length > (planOnly ? PURPOSES.length : 1)) {
  process.stderr.write(`setup: unknown or extra argument ${unknown[0] || purposes[1]}: use [start|test|bench|ci], --plan or --build-only\n`);
  process.exit(2);
}
if (planOnly) {
  for (const p of purposes.length ? purposes : PURPOSES) process.stdout.write(`${planLines(p).join('\n')}\n`);
  process.exit(0);
}
// --build-only builds everything (what engineers and the unit tests use); it installs no Debian package.
const plan = planFor(buildOnly ? 'test' : purposes[0] || 'start');
const isRoot = process.getuid() === 0;

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
    process.stderr.write(`${r.stdout || ''}${r.stderr || ''}`);
    die(`'${cmd} ${args.join(' ')}' failed (exit ${r.status === null ? r.signal : r.status})`);
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
  const wanted = plan.packages;
  const missing = wanted.filter((p) => {
    const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', p], { encoding: 'utf8' });
    return r.status !== 0 || !r.stdout.includes('install ok installed');
  });
  if (missing.length === 0) return say(`Debian packages present (${wanted.join(' ')})`);
  const quiet = missing.filter((p) => QUIET_SERVICES.includes(p));
  const plain = missing.filter((p) => !quiet.includes(p));
  const cmd = [
    'apt-get update',
    plain.length ? `apt-get install -y ${plain.join(' ')}` : '',
    quiet.length ? `apt-get install -y --no-install-recommends ${quiet.join(' ')} && systemctl disable --now ${quiet.join(' ')}` : '',
  ]
    .filter(Boolean)
    .join(' && ');
  if (!isRoot) die(`missing Debian packages: ${missing.join(' ')}. As root, run: ${cmd}`);
  say(`installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-qq'], { env });
  if (plain.length) run('apt-get', ['install', '-y', '-qq', ...plain], { env });
  if (quiet.length) withoutServiceStarts(() => run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...quiet], { env }), quiet);
}

/**
 * Installs packages whose service must not run: Debian's policy-rc.d hook
 * (exit 101) keeps their postinst from starting it, and the unit is disabled
 * afterwards, so nothing listens after set-up nor after a reboot. Only
 * services this run installed are touched.
 */
function withoutServiceStarts(install, services) {
  const hook = '/usr/sbin/policy-rc.d';
  const ours = !fs.existsSync(hook);
  if (ours) fs.writeFileSync(hook, '#!/bin/sh\n# mpsh setup: no service starts while it installs test tools\nexit 101\n', { mode: 0o755 });
  try {
    install();
  } finally {
    if (ours) fs.rmSync(hook, { force: true });
  }
  if (!fs.existsSync('/run/systemd/system')) return;
  for (const s of services) {
    const r = spawnSync('systemctl', ['disable', '--now', `${s}.service`], { encoding: 'utf8' });
    say(r.status === 0 ? `${s} installed for the tests only: its service is stopped and disabled` : `could not disable ${s}.service: ${r.stderr.trim()}`);
  }
}

/** Lock entries this purpose needs that node_modules lacks (or holds in another version). */
function missingModules() {
  const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
  return Object.entries(lock.packages).filter(([p, e]) => {
    if (p === '' || e.link || e.optional || (!plan.devModules && (e.dev || e.devOptional))) return false;
    try {
      return JSON.parse(fs.readFileSync(path.join(root, p, 'package.json'), 'utf8')).version !== e.version;
    } catch {
      return true;
    }
  });
}

function nodeModules() {
  const missing = missingModules();
  if (missing.length === 0) return say('node modules up to date');
  if (plan.devModules) {
    say('installing node modules (npm ci)');
    run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error']);
  } else {
    say('installing production node modules (npm ci --omit=dev)');
    run('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund', '--loglevel=error']);
  }
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

// `npm start` compiles src/ only (its types are production modules); tests
// and benchmarks compile everything. The stamp records which.
function tsBuild() {
  const stamp = 'dist/.build-stamp';
  const scope = plan.tsScope;
  const dirs = scope === 'src' ? ['src', 'tsconfig.json', 'tsconfig.build.json'] : ['src', 'test', 'bench', 'harness', 'tsconfig.json'];
  const built = mtime(stamp) ? fs.readFileSync(path.join(root, stamp), 'utf8').split(' ')[0] : '';
  if (mtime(stamp) >= newestMtime(dirs) && (built === 'all' || built === scope)) {
    return say('TypeScript build up to date');
  }
  say(`compiling TypeScript (tsc${scope === 'src' ? ', src/ only' : ''})`);
  // A fresh output tree: a source that moved or went would otherwise leave
  // its old .js behind, and mocha's dist/test/**/*.test.js would run it.
  fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true });
  run(path.join(root, 'node_modules/.bin/tsc'), ['-p', scope === 'src' ? 'tsconfig.build.json' : 'tsconfig.json']);
  fs.writeFileSync(path.join(root, stamp), `${scope} ${new Date().toISOString()}\n`);
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
