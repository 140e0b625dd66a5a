/**
 * Where a tap port's kernel interface went once moved into a network
 * namespace, and its state there: DPDK asks the kernel by name in the
 * shell's own namespace and says "link down" for an interface that carries
 * traffic elsewhere. Named namespaces (/var/run/netns, `ip netns add`) are
 * asked with `ip -n <ns> -o link show`, in child processes, all at once: the
 * event loop never waits on them.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import { native } from '../dpdk/native.js';

const NETNS_DIR = '/var/run/netns';
const ASK_TIMEOUT_MS = 2000;

export interface InterfaceElsewhere {
  /** The namespace that holds it, or null when no named one does. */
  netns: string | null;
  /** Its name there (a moved interface may be renamed). */
  name: string;
  /** Administratively up with carrier (LOWER_UP), as `ip link` says there. */
  up: boolean;
}

function links(ns: string): Promise<string> {
  return new Promise((resolve) =>
    execFile('ip', ['-n', ns, '-o', 'link', 'show'], { encoding: 'utf8', timeout: ASK_TIMEOUT_MS }, (err, stdout) => resolve(err ? '' : stdout)),
  );
}

/** `ip -o link` line `7: name@peer: <FLAGS> ...`: index, name and flags. */
function parseLink(line: string): { index: number; name: string; flags: string[] } | null {
  const m = /^(\d+): ([^:@\s]+)(?:@\S+)?: <([^>]*)>/.exec(line);
  return m ? { index: Number(m[1]), name: m[2]!, flags: m[3]!.split(',') } : null;
}

/** Finds interface `iface` (or, without a name, ifindex `ifIndex`) in the named namespaces. */
export async function findInterfaceElsewhere(iface: string | null, ifIndex: number): Promise<InterfaceElsewhere> {
  let names: string[] = [];
  try {
    names = (await fs.readdir(NETNS_DIR)).sort();
  } catch {
    // no named namespace at all
  }
  const listings = await Promise.all(names.map(links));
  for (const [i, listing] of listings.entries()) {
    for (const line of listing.split('\n')) {
      const l = parseLink(line);
      if (!l || (iface ? l.name !== iface : l.index !== ifIndex)) continue;
      return { netns: names[i]!, name: l.name, up: l.flags.includes('UP') && l.flags.includes('LOWER_UP') };
    }
  }
  return { netns: null, name: iface ?? `ifindex ${ifIndex}`, up: false };
}

/** The link column of `list` for a port whose interface left this namespace. */
export function elsewhereText(w: InterfaceElsewhere): string {
  if (!w.netns) return `link unknown (${w.name} left this namespace for one not in ${NETNS_DIR})`;
  return `link ${w.up ? 'up' : 'down'} (${w.name} in netns ${w.netns})`;
}

/** `list`'s link column: DPDK's link state, or for an interface moved into a namespace, its state there and where. */
export async function portLinkText(port: number, linkUp: boolean): Promise<string> {
  let i: ReturnType<ReturnType<typeof native>['portInterface']> = null;
  try {
    i = native().portInterface(port);
  } catch {
    // detached meanwhile: DPDK's word stands
  }
  if (i && !i.here) return elsewhereText(await findInterfaceElsewhere(i.iface, i.ifIndex));
  return linkUp ? 'link up' : 'link down';
}
