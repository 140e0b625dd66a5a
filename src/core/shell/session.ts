import { RateHistory } from '../observe/stats/history.js';
import { emptyGroup, type GroupStats } from '../observe/stats/types.js';
import { defaultView, type ViewState } from '../observe/stats/view.js';
import { visible } from '../util/text.js';

/**
 * The session store: everything the screen shows, owned here and rendered by
 * src/ui. Front ends subscribe; they never hold state of their own beyond
 * what is being typed.
 */
/** `data`: a document to copy (stats --json), never wrapped by the screen; `log`: EAL's and the drivers' lines. */
export type LogKind = 'message' | 'output' | 'info' | 'error' | 'log' | 'data';

export interface LogEntry {
  readonly id: number;
  readonly kind: LogKind;
  readonly text: string;
}

export interface StatusInfo {
  processType: string;
  filePrefix: string;
  lcores: number[];
  ports: number;
  /** `<id> <name>` of each port, as the status line and panel show them (ports come and go with hotplug). */
  portNames?: string[];
  /** 'simple_mp' when this process can send, 'monitor' otherwise. */
  mode: string;
}

export interface SessionSnapshot {
  /** Live counters of the group (symmetric workers, server, clients). */
  readonly group: GroupStats;
  /**
   * The newest entries (LOG_LIMIT to twice that, and any not yet rendered);
   * ids are consecutive. Appends after this snapshot may have grown the
   * array: its own entries are those with ids below logTotal.
   */
  readonly log: readonly LogEntry[];
  /** How many entries were ever appended when this snapshot was taken. */
  readonly logTotal: number;
  readonly status: StatusInfo | null;
  readonly prompt: string;
  /** Rate history per process, recorded from every sample (frozen or not). */
  readonly history: RateHistory;
  readonly view: ViewState;
  /** The detail view's lines while `show` focuses a process on the TTY. */
  readonly detail: readonly string[] | null;
}

/** How many log entries the store keeps; the screen's <Static> already printed older ones. */
const LOG_LIMIT = 500;

type Listener = () => void;

export class Session {
  private log: LogEntry[] = [];
  private nextId = 0;
  private status: StatusInfo | null = null;
  private group: GroupStats = emptyGroup;
  /** The newest sample, shown again on resume. */
  private latest: GroupStats = emptyGroup;
  private readonly history = new RateHistory();
  private viewState: ViewState = defaultView;
  private detail: readonly string[] | null = null;
  /** Set by the TTY front end: `show` focuses a view there and prints text in line mode. */
  interactive = false;
  /** The TTY's size, kept by the front end (help lays itself out to it); null in line mode. */
  screen: { columns: number; rows: number } | null = null;
  private snap: SessionSnapshot;
  private listeners = new Set<Listener>();
  private entryListeners = new Set<(e: LogEntry) => void>();
  /** Lines written outside the shell's code (EAL's log): read before each entry appended and on poll(). */
  private sources: { read: () => readonly string[]; kind: LogKind }[] = [];

  /** `example> ` for the hotplug role, as stock hotplug_mp. */
  constructor(readonly prompt = 'simple_mp > ') {
    this.snap = this.makeSnapshot();
  }

  subscribe = (l: Listener): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  /** Every log entry as it is appended (line mode prints them at once). */
  onEntry(l: (e: LogEntry) => void): () => void {
    this.entryListeners.add(l);
    return () => this.entryListeners.delete(l);
  }

  snapshot = (): SessionSnapshot => this.snap;

  /**
   * One entry per line of `text`. Control characters are made visible here,
   * the one way onto the screen: received messages, children's output and
   * echoed input must not drive the terminal (titles, clearing, cursor).
   */
  append(kind: LogKind, text: string): void {
    // What EAL logged so far happened before this entry: it goes first.
    this.pull();
    for (const line of text.split('\n')) this.push(kind, line);
    this.changed();
  }

  /** Adds a source of lines (EAL's log), shown as entries of `kind` in order with the rest. */
  addSource(read: () => readonly string[], kind: LogKind = 'log'): void {
    this.sources.push({ read, kind });
  }

  /** Shows what the sources wrote since (called with each sample: nothing else may append for a while). */
  poll(): void {
    if (this.pull()) this.changed();
  }

  private pull(): boolean {
    let any = false;
    for (const s of this.sources)
      for (const line of s.read()) {
        this.push(s.kind, line);
        any = true;
      }
    return any;
  }

  private push(kind: LogKind, line: string): void {
    const e: LogEntry = { id: this.nextId++, kind, text: visible(line) };
    this.log.push(e);
    for (const l of this.entryListeners) l(e);
    // Never drop an entry subscribers have not been told of yet: the screen prints each one once.
    const keepFrom = Math.min(this.nextId - LOG_LIMIT, this.notifiedTotal);
    if (this.log.length > 2 * LOG_LIMIT && this.log[0]!.id < keepFrom) this.log = this.log.slice(keepFrom - this.log[0]!.id);
  }

  setStatus(s: StatusInfo): void {
    this.status = s;
    this.notify();
  }

  /** A new sample: always recorded in the history; shown unless the view is frozen. */
  setGroup(g: GroupStats): void {
    this.latest = g;
    this.history.record(g);
    if (this.viewState.frozen) return;
    this.group = g;
    this.notify();
  }

  get view(): ViewState {
    return this.viewState;
  }

  setView(change: Partial<ViewState>): void {
    this.viewState = { ...this.viewState, ...change };
    if (!this.viewState.frozen) this.group = this.latest;
    this.notify();
  }

  /** The focused detail view's text (recomputed by the shell with each sample). */
  setDetail(lines: readonly string[] | null): void {
    this.detail = lines;
    if (!this.viewState.frozen) this.notify();
  }

  private clearListeners = new Set<(from: number) => void>();

  /** `clear`: the TTY screen starts afresh from the next entry (line mode has no screen to clear). */
  clearScreen(): void {
    for (const l of this.clearListeners) l(this.nextId);
  }

  /** The screen's: called with the first entry to show after a `clear`. */
  onClear(l: (from: number) => void): () => void {
    this.clearListeners.add(l);
    return () => this.clearListeners.delete(l);
  }

  private notifyPending = false;
  private notifiedTotal = 0;

  /**
   * For log entries, subscribers hear once per turn of the event loop however
   * many arrived in it: a paste of a thousand commands redraws the screen in
   * proportion to time, not to lines.
   */
  private changed(): void {
    if (this.notifyPending) return;
    this.notifyPending = true;
    setImmediate(() => this.notifyPending && this.notify());
  }

  /** Tells subscribers now of whatever arrived since they last heard (before the screen goes). */
  flush(): void {
    if (this.notifyPending) this.notify();
  }

  private notify(): void {
    this.notifyPending = false;
    this.notifiedTotal = this.nextId;
    this.snap = this.makeSnapshot();
    for (const l of this.listeners) l();
  }

  private makeSnapshot(): SessionSnapshot {
    return {
      log: this.log,
      logTotal: this.nextId,
      status: this.status,
      prompt: this.prompt,
      group: this.group,
      history: this.history,
      view: this.viewState,
      detail: this.detail,
    };
  }
}
