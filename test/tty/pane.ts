/**
 * The tests' spelling of the harness's tmux driver: a command in a private
 * tmux pane that, when the command ends, shows "EXIT <status>" and lingers
 * so the screen can still be read.
 */
import { ROOT } from '../../harness/repo.js';
import { TmuxSession } from '../../harness/tmux.js';

export class TmuxPane extends TmuxSession {
  constructor(command: string[], width = 120, height = 30) {
    super({ cwd: ROOT, argv: command, columns: width, rows: height, showExit: true });
  }

  screen(): string {
    return this.capture();
  }
}
