/** Port masks as the stock samples take them: hexadecimal, with or without 0x. */
import { UsageError } from '../util/errors.js';

export function parsePortMask(text: string | undefined, option = '-p'): bigint {
  if (text === undefined || text === '') throw new UsageError(`missing port mask: give ${option} <hex>, e.g. ${option} 3 for ports 0 and 1`);
  if (!/^(0x)?[0-9a-f]+$/i.test(text)) throw new UsageError(`port mask '${text}' is not hexadecimal: e.g. ${option} 3 for ports 0 and 1`);
  const mask = BigInt(text.toLowerCase().startsWith('0x') ? text : `0x${text}`);
  if (mask === 0n) throw new UsageError(`port mask ${text} selects no port: e.g. ${option} 3 for ports 0 and 1`);
  return mask;
}

/** The ports a mask selects among those available; refuses bits for ports that do not exist. */
export function portsFromMask(mask: bigint, available: readonly number[]): number[] {
  const selected = available.filter((p) => (mask >> BigInt(p)) & 1n);
  const known = available.reduce((m, p) => m | (1n << BigInt(p)), 0n);
  const unknown = mask & ~known;
  if (unknown !== 0n) {
    const missing = [...Array(64).keys()].filter((b) => (unknown >> BigInt(b)) & 1n);
    throw new UsageError(
      `port mask 0x${mask.toString(16)} selects port ${missing.join(', ')}, but this process has ${available.length ? `ports ${available.join(', ')}` : 'no ports'}`,
    );
  }
  return selected;
}

export function maskOf(ports: readonly number[]): string {
  return ports.reduce((m, p) => m | (1n << BigInt(p)), 0n).toString(16);
}
