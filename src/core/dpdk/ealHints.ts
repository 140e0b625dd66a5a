/**
 * What EAL's own log says went wrong at init, turned into one line for the
 * user with what to do: EAL prints causes, not remedies.
 */

interface Hint {
  match: RegExp;
  hint: (prefix: string) => string;
}

const HINTS: Hint[] = [
  {
    match: /Not enough memory available/i,
    hint: () => 'ask for less with -m or --socket-mem (mpsh needs none: leave them out), or reserve more hugepages (npm run setup)',
  },
  {
    match: /Cannot preallocate VA space|Could not reserve memory|Cannot attach to primary process memseg lists/i,
    hint: () => "the primary's memory addresses are taken in this process (address-space collision): start it again",
  },
  {
    match: /hugepage|Cannot get hugepage information|No available .*hugepages|Cannot init memory|Cannot allocate memory/i,
    hint: () => 'no usable hugepages: run `npm run setup` as root (or: dpdk-hugepages.py --setup 1G)',
  },
  {
    match: /Cannot open '.*config' for rte_mem_config|Cannot init config/i,
    hint: (p) => `no primary process is running for file prefix '${p}': start one first, or use --proc-type=auto`,
  },
  {
    match: /Is another primary process running/i,
    hint: (p) => `another primary already holds file prefix '${p}': use --proc-type=secondary (or auto), or another --file-prefix`,
  },
  { match: /Permission denied|EACCES/i, hint: () => 'permission denied: run as root (DPDK needs hugepages and /var/run/dpdk)' },
  { match: /unrecognized option|requires an argument|Invalid 'command line' arguments/i, hint: () => 'check the EAL options: see mpsh --help' },
  { match: /invalid core list|lcore .* unavailable|invalid parameter/i, hint: () => 'check the lcore options (-l, --lcores): see mpsh --help' },
];

/**
 * One line: what EAL said went wrong, and what to do. Only EAL's own lines
 * count (on bad options it also prints its usage text, which mentions
 * hugepages and would mislead the hint).
 */
export function explainInitFailure(log: string, error: string, prefix: string, hintOverride?: string): string {
  const lines = log
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('EAL:') || /^mpsh: .*option/.test(l));
  const known = lines.find((l) => !l.includes('FATAL:') && !l.includes("Invalid 'command line'") && HINTS.some((h) => h.match.test(l)));
  const fatal = lines.find((l) => l.includes('FATAL:'));
  const causeLine = known ?? fatal ?? lines.filter((l) => !/Detected|exiting with code|Unregistering/.test(l)).at(-1);
  const cause = causeLine?.replace(/^(EAL|mpsh): (FATAL: )?/, '') ?? error;
  const hint = hintOverride ?? HINTS.find((h) => h.match.test(cause))?.hint(prefix);
  return `EAL init failed: ${cause}${hint ? ` — ${hint}` : ''}`;
}
