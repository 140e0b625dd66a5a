/** Asking DPDK's own telemetry client about a prefix, as a user would. */
import { spawnSync } from 'node:child_process';

/** dpdk-telemetry.py, one command, its JSON answer. */
export function telemetry(prefix: string, command: string): unknown {
  const r = spawnSync('dpdk-telemetry.py', ['-f', prefix], { input: `${command}\n`, encoding: 'utf8', timeout: 10_000 });
  const line = r.stdout.split('\n').find((l) => l.startsWith(`{"${command.split(',')[0]}"`));
  if (!line) throw new Error(`no answer to ${command}: ${r.stdout}${r.stderr}`);
  return (JSON.parse(line) as Record<string, unknown>)[command.split(',')[0]!];
}
