/**
 * mpsh's entry point: `mpsh [role] [EAL options] [-- app options]`.
 * Roles: the shell (default), hotplug (the shell as a drop-in for stock
 * hotplug_mp), the packet roles symmetric, server, client, and the metrics
 * exporter. Each role brings EAL up with the embedded
 * default for what the user left out.
 */
import { EalStartError, reserveEalAddressSpace, startEal, stopEal } from './core/dpdk/eal.js';
import { allCpusSet, ealOptionValue, filePrefixOf, splitArgs } from './core/dpdk/ealOptions.js';
import { hugetlbfsMount } from './core/dpdk/prefixFiles.js';
import { Guardian } from './core/shell/guardian.js';
import { describeError, UsageError } from './core/util/errors.js';
import { takeOnce } from './core/util/options.js';
import { EalLogPipe } from './core/dpdk/ealLog.js';
import { installSignalHandlers, onShutdown, shutdown } from './core/dpdk/lifecycle.js';
import { restartWhenPrimaryGoes, untilPrimary } from './core/dpdk/attachment.js';
import { SimpleMpChannel } from './core/roles/simpleMp/messages.js';
import { settledSample } from './core/observe/stats/settled.js';
import { groupRegistry, MetricsServer, parseListenAddress } from './core/observe/metrics.js';
import { visible } from './core/util/text.js';
import { inForeground } from './core/os/terminal.js';
import { usage } from './usage.js';
import { Shell } from './shell.js';

interface ShellRole {
  /** Ports a process about to become primary gets when the user gives none. */
  defaultVdevs: string[];
  /** The simple_mp channel (the hotplug role has none, as stock hotplug_mp). */
  simpleMp: boolean;
  prompt?: string;
}

const SHELL: ShellRole = { defaultVdevs: ['net_null0', 'net_null1'], simpleMp: true };
/** `mpsh hotplug`: a drop-in for stock hotplug_mp (`example> ` prompt, no ports of its own, no simple_mp rings). */
const HOTPLUG: ShellRole = { defaultVdevs: [], simpleMp: false, prompt: 'example> ' };

async function runShell(eal: string[], app: string[], role: ShellRole = SHELL): Promise<void> {
  const { value: metrics, rest } = takeOnce(app, '--metrics', (v) => {
    if (v === undefined) throw new UsageError('--metrics needs <host>:<port> (e.g. 127.0.0.1:9464)');
    return parseListenAddress(v, '--metrics');
  });
  const unknown = rest.find((a) => a !== '--line');
  if (unknown !== undefined) throw new UsageError(`unknown shell option '${unknown}': see mpsh --help`);
  const forceLine = rest.includes('--line');
  const interactive = !forceLine && process.stdin.isTTY === true && process.stdout.isTTY === true;
  // Refused before EAL: a background job cannot own the screen, and stopped or
  // cut off from its terminal it would hold hugepages and workers for nothing.
  if (interactive && !inForeground())
    throw new UsageError(
      'started as a background job: the terminal belongs to the foreground job; run mpsh in the foreground (with timeout: timeout --foreground), or feed commands with -- --line',
    );
  installSignalHandlers();
  const userEal = await untilPrimary(eal, { waitWhenAbsent: false, input: process.stdin });
  if (userEal === null) return;
  // Its primary gone, the shell lets go of its memory and waits for the next one.
  restartWhenPrimaryGoes();
  // Started before EAL touches a file: a SIGKILL from here on still takes the children and files with it.
  const guardian = Guardian.start();
  guardian.watchPrefix(filePrefixOf(userEal), ealOptionValue(userEal, '--huge-dir') ?? hugetlbfsMount());
  // Registered first, so it runs last: after a clean end there is nothing left for it to do.
  onShutdown('guardian', () => guardian.release());
  const session = startEal({
    userEal,
    lcoreCount: 2,
    cpuFor: () => allCpusSet(),
    defaultVdevs: role.defaultVdevs,
  });
  onShutdown('EAL', () => stopEal());
  const simpleMp = role.simpleMp ? SimpleMpChannel.open(session.processType, session.runtimeDir) : null;
  const shell = new Shell(session, simpleMp, { prompt: role.prompt });
  shell.control.supervisor.onChange((c, event) => event === 'start' && guardian.adoptChild(c.pid));
  onShutdown('simple_mp receiver', () => shell.stop());
  shell.onQuit(() => shutdown(0));
  if (metrics) {
    // The shell samples 4 times a second; a scrape between takes the latest.
    const c = shell.control;
    const server = await MetricsServer.listen(
      metrics,
      groupRegistry(() => (Date.now() - c.group.at < 1000 && !c.group.ratesPending ? c.group : settledSample(() => c.sample()))),
    );
    onShutdown('metrics', () => server.close());
  }

  if (interactive) {
    // Ink draws only a final frame when it thinks it runs in CI (env CI set);
    // on a real terminal the user wants the live screen, CI or not.
    process.env.CI = 'false';
    // React's development build checks and warns on every render, several
    // times slower: the screen runs the production one unless told otherwise.
    process.env.NODE_ENV ??= 'production';
    const { runTty } = await import('./ui/tty.js');
    // EAL's log becomes entries on the screen; once the screen is gone it goes to stderr again.
    const ealLog = EalLogPipe.open();
    shell.session.addSource(() => ealLog.read());
    onShutdown('EAL log', () => void ealLog.close().forEach((l) => process.stderr.write(`${l}\n`)));
    const unmount = runTty(shell);
    onShutdown('screen', () => unmount());
    // The terminal's input ended (it was hung up): the shell ends as on quit.
    process.stdin.on('end', () => void shutdown(0));
    // Registered after the screen so it runs before the screen goes: its messages show.
    onShutdown('children', () => shell.stopChildren());
    shell.start();
  } else {
    const { runLineMode } = await import('./ui/lineMode.js');
    onShutdown('children', () => shell.stopChildren());
    await runLineMode(shell, () => shell.start());
    await shutdown(0);
  }
}

const ROLES: Record<string, (eal: string[], app: string[]) => Promise<void>> = {
  shell: (eal, app) => runShell(eal, app),
  hotplug: (eal, app) => runShell(eal, app, HOTPLUG),
  symmetric: async (eal, app) => (await import('./core/roles/symmetric/worker.js')).runSymmetricWorker(eal, app),
  server: async (eal, app) => (await import('./core/roles/clientServer/roles.js')).runServer(eal, app),
  client: async (eal, app) => (await import('./core/roles/clientServer/roles.js')).runClient(eal, app),
  exporter: async (eal, app) => (await import('./core/observe/exporter.js')).runExporter(eal, app),
};

export async function main(argv: string[]): Promise<void> {
  // First: the addon reserves DPDK's address window before V8 grows into it.
  reserveEalAddressSpace();
  try {
    // A first word that is not an option names the role; the shell is the default.
    const first = argv[0];
    const named = first !== undefined && !first.startsWith('-');
    if (named && !Object.hasOwn(ROLES, first)) {
      const roles = Object.keys(ROLES).filter((r) => r !== 'shell');
      throw new UsageError(`unknown role '${visible(first)}': give one of ${roles.join(', ')}, or only options for the shell (see mpsh --help)`);
    }
    const role = named ? first : 'shell';
    const { eal, app } = splitArgs(named ? argv.slice(1) : argv);
    if (eal.includes('--help') || eal.includes('-h') || app.includes('--help') || app.includes('-h')) {
      process.stdout.write(usage());
      return;
    }
    await ROLES[role]!(eal, app);
  } catch (err) {
    // Bad arguments and EAL failures are one line; whatever was started stops first.
    process.stderr.write(`mpsh: ${err instanceof EalStartError ? err.message : describeError(err)}\n`);
    if (err instanceof EalStartError && process.env.MPSH_EAL_LOG === '1') process.stderr.write(err.log);
    await shutdown(1);
  }
}
