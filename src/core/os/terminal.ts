/**
 * Whether this process owns its terminal: a background job (`mpsh &`,
 * `timeout 1200 mpsh`, which runs its command in a process group of its own)
 * may not read it or set its modes.
 */
import fs from 'node:fs';

/** True when the terminal's foreground process group is ours (or /proc cannot say). */
export function inForeground(): boolean {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    // After the command name: state ppid pgrp session tty_nr tpgid …
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const pgrp = Number(f[2]);
    const tpgid = Number(f[5]);
    return tpgid <= 0 || tpgid === pgrp;
  } catch {
    return true;
  }
}
