/** Root hooks: no test leaves a process running. */
import { stopAll } from '../../harness/proc.js';

export const mochaHooks = {
  async afterEach(): Promise<void> {
    await stopAll();
  },
};
