/**
 * mpsh's own options among a role's application arguments (after `--`,
 * beside the stock ones): taken out before the stock parser sees the rest.
 */
import { UsageError } from './errors.js';

/** Takes every `<flag> <v>` / `<flag>=<v>` out of `args`; the last one given wins. */
export function takeOption<T>(args: readonly string[], flag: string, parse: (v: string | undefined) => T): { value: T | undefined; rest: string[] } {
  let value: T | undefined;
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === flag) value = parse(args[++i]);
    else if (a.startsWith(`${flag}=`)) value = parse(a.slice(flag.length + 1));
    else rest.push(a);
  }
  return { value, rest };
}

/**
 * As takeOption, for an option that names one thing (an address to listen
 * on): a second one is refused rather than silently replacing the first.
 */
export function takeOnce<T>(args: readonly string[], flag: string, parse: (v: string | undefined) => T): { value: T | undefined; rest: string[] } {
  const given: (string | undefined)[] = [];
  const { rest } = takeOption(args, flag, (v) => given.push(v));
  if (given.length > 1) throw new UsageError(`${flag} given twice ('${given[0] ?? ''}', then '${given[1] ?? ''}'): give it once`);
  return { value: given.length === 1 ? parse(given[0]) : undefined, rest };
}
