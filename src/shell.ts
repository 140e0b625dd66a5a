/**
 * The shell role: wires EAL, the simple_mp channel, the session store and
 * the command registry. Front ends (src/ui) drive it with lines and render
 * its session; they own nothing else.
 */
import { GroupControl } from './core/shell/control.js';
import type { EalSession } from './core/dpdk/eal.js';
import { isShuttingDown } from './core/dpdk/lifecycle.js';
import { portLabels } from './core/ports/ports.js';
import { describeState } from './core/roles/supervisor.js';
import { Session } from './core/shell/session.js';
import type { SimpleMpChannel } from './core/roles/simpleMp/messages.js';
import { CommandRegistry } from './commands/registry.js';
import type { CommandContext } from './commands/types.js';

/** How often the live counters are read from shared memory (the screen redraws at most 10/s). */
export const SAMPLE_INTERVAL_MS = 250;

export interface ShellOptions {
  /** The line-mode prompt (stock hotplug_mp's is `example> `). */
  prompt?: string;
}

export class Shell {
  readonly session: Session;
  readonly registry = new CommandRegistry();
  readonly control: GroupControl;
  readonly ctx: CommandContext;
  private quitHandler: () => void | Promise<void> = () => {};
  private sampler: NodeJS.Timeout | undefined;

  constructor(
    readonly eal: EalSession,
    readonly simpleMp: SimpleMpChannel | null,
    opts: ShellOptions = {},
  ) {
    this.session = new Session(opts.prompt);
    this.control = new GroupControl(eal);
    this.ctx = {
      session: this.session,
      simpleMp,
      control: this.control,
      commands: this.registry.commands,
      requestQuit: () => this.quitHandler(),
    };
    this.session.setStatus({
      processType: eal.processType,
      filePrefix: eal.filePrefix,
      lcores: eal.lcores,
      ports: this.ports.length,
      portNames: this.ports,
      mode: simpleMp === null && opts.prompt ? 'hotplug' : simpleMp?.canSend ? 'simple_mp' : 'monitor',
    });
  }

  /** Starts receiving on the first worker lcore (printing as stock simple_mp does) and the counter sampling. */
  start(): void {
    this.sampleGroup();
    this.sampler = setInterval(() => this.sampleGroup(), SAMPLE_INTERVAL_MS);
    this.sampler.unref();
    this.control.supervisor.onChange((c, event) => {
      if (event === 'exit' && !this.stopping) this.session.append('info', `${c.spec.name} (pid ${c.pid}) ${describeState(c.state)}`);
      this.sampleGroup();
    });
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
  onQuit(handler: () => void | Promise<void>): void {
    this.quitHandler = handler;
  }

  requestQuit(): void | Promise<void> {
    return this.quitHandler();
  }

  async execute(line: string): Promise<void> {
    // What other processes attached or detached since the last sample is
    // said first: after the command it would pass for the command's own.
    this.followPorts(true);
    this.executing++;
    try {
      await this.registry.execute(this.ctx, line);
    } finally {
      this.executing--;
    }
    // What this shell attached or detached it has already said.
    this.followPorts(false);
  }

  /** Commands under way: ports they change are theirs to report. */
  private executing = 0;

  private ports: string[] = portLabels();

  /**
   * Ports come and go with hotplug, from this shell or any process of the
   * prefix: the status line and panel follow them.
   */
  private followPorts(announce: boolean): void {
    // EAL may be gone already (quit): its port table with it.
    if (isShuttingDown() || (announce && this.executing > 0)) return;
    const now = portLabels();
    if (now.join('\n') === this.ports.join('\n')) return;
    // Every role says it, `mpsh hotplug` included: stock hotplug_mp prints
    // nothing for another process's attach, but scripts read only the
    // lines after their own commands, and a person wants to know.
    if (announce) {
      for (const p of now.filter((x) => !this.ports.includes(x))) this.session.append('info', `port ${p} attached`);
      for (const p of this.ports.filter((x) => !now.includes(x))) this.session.append('info', `port ${p} detached`);
    }
    this.ports = now;
    const status = this.session.snapshot().status;
    if (status) this.session.setStatus({ ...status, ports: now.length, portNames: now });
  }

  complete(line: string): { line: string; candidates: string[] } {
    return this.registry.complete(this.ctx, line);
  }

  private stopping = false;

  private sampleGroup(): void {
    try {
      this.session.poll();
      this.followPorts(true);
      this.session.setGroup(this.control.sample());
      const focus = this.session.view.focus;
      if (focus) this.session.setDetail(this.control.detail(focus, this.session.snapshot().history));
    } catch (err) {
      this.session.append('error', `cannot read counters: ${err instanceof Error ? err.message : String(err)}`);
      clearInterval(this.sampler);
    }
  }

  /**
   * The primary stops every process of its group first, whoever started it
   * last (another shell may have restarted one): they use its ports and
   * memory. A secondary shell leaves the ones it restarted running.
   */
  async stopChildren(): Promise<void> {
    this.stopping = true;
    const primary = this.eal.processType === 'primary';
    let procs: ReturnType<GroupControl['liveProcesses']> = [];
    try {
      procs = this.control.liveProcesses(primary);
    } catch {
      procs = this.control.liveProcesses(false); // the shared slots cannot be read: our own children at least
    }
    clearInterval(this.sampler);
    const names = procs.map((p) => p.name);
    if (names.length === 0) return;
    if (!primary) {
      this.session.append('info', `leaving ${names.join(', ')} running`);
      return;
    }
    this.session.append('info', `stopping ${names.join(', ')}…`);
    await this.control.stopProcesses(procs);
    this.session.append('info', `stopped ${names.join(', ')}`);
  }

  /** Stops the receive loop; every buffer it took is already back in the pool. A running capture is written out. */
  stop(): void {
    this.control.captures.stop();
    this.simpleMp?.stop();
  }
}
