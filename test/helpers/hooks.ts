/**
 * Root hooks: no test leaves a process running. And a run stopped with
 * Ctrl-C or SIGTERM exits through Node's 'exit' hooks (Node's default for
 * those signals skips them), so the harness's last-resort clean-ups still
 * run: children SIGKILLed, tap namespaces deleted, prefix files removed.
 */
import { stopAll } from '../../harness/proc.js';

for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => process.exit(130));

export const mochaHooks = {
  async afterEach(): Promise<void> {
    await stopAll();
  },
};
