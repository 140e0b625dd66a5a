/** Memzones that whichever process of a prefix comes first creates. */
import { native, type Memzone } from './native.js';

/**
 * Looks `name` up, or reserves it (zero-filled) and runs `init` on it.
 * Another process may reserve it between our lookup and reserve: then
 * theirs is used and `init` does not run. `init` should write any marker
 * readers check last.
 */
export function lookupOrReserve(name: string, size: number, init?: (zone: Memzone) => void): Memzone {
  const { Memzone: Zone } = native();
  const found = Zone.lookup(name);
  if (found) return found;
  let zone: Memzone;
  try {
    zone = Zone.reserve(name, size);
  } catch (err) {
    const again = Zone.lookup(name);
    if (again) return again;
    throw err;
  }
  init?.(zone);
  return zone;
}
