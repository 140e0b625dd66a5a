/**
 * The shell role: wires EAL, the simple_mp channel, the session store and
 * the command registry. Front ends (src/ui) drive it with lines and render
 * its session; they own nothing else.
 */
import type { EalSession } from './core/eal.js';
import { native } from './core/native.js';
import { Session } from './core/session.js';
import type { SimpleMpChannel } from './core/simpleMp.js';
import { CommandRegistry } from './commands/registry.js';
import type { CommandContext } from './commands/types.js';

export class Shell {
  readonly session = new Session();
  readonly registry = new CommandRegistry();
  readonly ctx: CommandContext;
  private quitHandler: () => void = () => {};

  constructor(
    readonly eal: EalSession,
    readonly simpleMp: SimpleMpChannel | null,
  ) {
    this.ctx = {
      session: this.session,
      simpleMp,
      commands: this.registry.commands,
      requestQuit: () => this.quitHandler(),
    };
    this.session.setStatus({
      processType: eal.processType,
      filePrefix: eal.filePrefix,
      lcores: eal.lcores,
      ports: native().ethPorts().length,
      mode: simpleMp?.canSend ? 'simple_mp' : 'monitor',
    });
  }

  /** Starts receiving on the first worker lcore, printing as stock simple_mp does. */
  start(): void {
    if (this.simpleMp?.monitorReason) this.session.append('info', `monitor mode: ${this.simpleMp.monitorReason}`);
    const lcore = this.eal.workerLcores[0];
    if (!this.simpleMp?.canSend) return;
    if (lcore === undefined) {
      this.session.append('info', 'no worker lcore: this process sends but does not receive (give it two lcores)');
      return;
    }
    this.simpleMp.startReceiving(lcore, (text, l) => this.session.append('message', `core ${l}: Received '${text}'`));
  }

  /** Set by main: what quit, Ctrl-D and end of input do. */
  onQuit(handler: () => void): void {
    this.quitHandler = handler;
  }

  requestQuit(): void {
    this.quitHandler();
  }

  execute(line: string): Promise<void> {
    return this.registry.execute(this.ctx, line);
  }

  complete(line: string): { line: string; candidates: string[] } {
    return this.registry.complete(this.ctx, line);
  }

  /** Stops the receive loop; every buffer it took is already back in the pool. */
  stop(): void {
    this.simpleMp?.stop();
  }
}
