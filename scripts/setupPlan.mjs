// What each purpose needs installed and built, as data: `npm start` gets
// what running the shell needs and nothing that starts a service; tests,
// benchmarks and CI add their tools. Pure (no side effects, no imports) and
// written in syntax old Node parses, so setup.mjs can say "Node too old" in
// one line instead of a syntax error.

// Running: DPDK, pkg-config to find it, and what node-gyp needs to build the
// addon (g++, make, python3).
var RUN_PACKAGES = ['libdpdk-dev', 'dpdk', 'pkg-config', 'g++', 'make', 'python3'];
// Tests: dpdk-telemetry.py (dpdk-dev), the stock samples' sources (dpdk-doc),
// tmux for the TTY tests, ping, iperf3 and tcpdump for real traffic through
// tap ports, prometheus/promtool for the exporter tests.
var TEST_PACKAGES = ['dpdk-dev', 'dpdk-doc', 'tmux', 'iputils-ping', 'iperf3', 'tcpdump', 'prometheus'];
// Benchmarks: the stock samples, the TTY panel, tap traffic.
var BENCH_PACKAGES = ['dpdk-dev', 'dpdk-doc', 'tmux', 'iputils-ping', 'iperf3', 'tcpdump'];
// CI also lints (clang-format for native/).
var CI_PACKAGES = ['clang-format'];

/**
 * Installed without their Recommends, and their service left stopped and
 * disabled: the tests run the prometheus binary themselves (Debian's package
 * would start it, and recommend prometheus-node-exporter, another service,
 * both listening on every interface).
 */
export var QUIET_SERVICES = ['prometheus'];

export var PURPOSES = ['start', 'test', 'bench', 'ci'];

function union() {
  var out = [];
  for (var i = 0; i < arguments.length; i++) for (var j = 0; j < arguments[i].length; j++) if (out.indexOf(arguments[i][j]) < 0) out.push(arguments[i][j]);
  return out;
}

/** What `purpose` needs: Debian packages, node modules (with dev ones or not), TypeScript scope. */
export function planFor(purpose) {
  if (purpose === 'start') return { packages: RUN_PACKAGES.slice(), devModules: false, tsScope: 'src' };
  if (purpose === 'test') return { packages: union(RUN_PACKAGES, TEST_PACKAGES), devModules: true, tsScope: 'all' };
  if (purpose === 'bench') return { packages: union(RUN_PACKAGES, BENCH_PACKAGES), devModules: true, tsScope: 'all' };
  if (purpose === 'ci') return { packages: union(RUN_PACKAGES, TEST_PACKAGES, BENCH_PACKAGES, CI_PACKAGES), devModules: true, tsScope: 'all' };
  return null;
}

/** The plan as lines, `<purpose>: <what>: <items>`, for `--plan`. */
export function planLines(purpose) {
  var p = planFor(purpose);
  var quiet = p.packages.filter(function (x) {
    return QUIET_SERVICES.indexOf(x) >= 0;
  });
  var lines = [purpose + ': apt: ' + p.packages.join(' ')];
  if (quiet.length) lines.push(purpose + ': apt without recommends, service stopped and disabled: ' + quiet.join(' '));
  lines.push(
    purpose +
      ': npm: ' +
      (p.devModules
        ? 'npm ci (every module, dev ones included)'
        : 'npm ci --omit=dev (production modules; typescript, node-gyp and the types the build needs are among them)'),
  );
  lines.push(purpose + ': build: native addon (node-gyp), TypeScript of ' + (p.tsScope === 'src' ? 'src/ (tsconfig.build.json)' : 'src, test, bench, harness'));
  lines.push(purpose + ': hugepages: at least 256 x 2 MB, 1024 wanted, hugetlbfs mounted');
  return lines;
}

/**
 * Why this Node cannot run mpsh, in one line, or null when it can. Node
 * 20.5 is the oldest that has what mpsh uses; 21 is an odd release, out of
 * support (package.json engines: >=20.5 <21 || >=22).
 */
export function nodeVersionProblem(version) {
  var parts = String(version).replace(/^v/, '').split('.');
  var major = Number(parts[0]);
  var minor = Number(parts[1]);
  if (!(major >= 0) || !(minor >= 0)) return 'cannot read the Node.js version "' + version + '": mpsh needs Node.js 20.5 or newer (20.5+ or 22+)';
  if ((major === 20 && minor >= 5) || major >= 22) return null;
  var debian = major === 18 ? " (Debian 12's own nodejs)" : '';
  return (
    'mpsh needs Node.js 20.5 or newer (20.5+ or 22+), this is Node.js ' +
    version +
    debian +
    ': install Node.js 22 (https://nodejs.org, or NodeSource for Debian) and run it again'
  );
}
