/**
 * mpsh's own options among a role's application arguments (after `--`,
 * beside the stock ones): taken out before the stock parser sees the rest.
 */

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
