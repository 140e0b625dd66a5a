/**
 * The TTY screen: the append-only log in <Static> (drawn once per entry), the
 * live panels below it, then the prompt and the status line. It renders the
 * session store and forwards typed lines to the shell; it owns no state of
 * its own but the line being edited.
 */
import { Box, Static, Text, useStdout } from 'ink';
import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { LogEntry } from '../core/shell/session.js';
import type { Session } from '../core/shell/session.js';
import { InputQueue } from './inputQueue.js';
import { LogLine } from './LogLine.js';
import { Prompt, type EmptyPromptKey } from './Prompt.js';
import { panelHasRows } from '../core/observe/app/panelLines.js';
import { panelLines } from '../core/observe/stats/panel.js';
import { SORT_COLUMNS } from '../core/observe/stats/view.js';
import { innerSize, keyHint, StatsPanel } from './StatsPanel.js';
import { StatusLine } from './StatusLine.js';
import { useTerminalSize, type TerminalSize } from './useTerminalSize.js';

export interface ShellPort {
  session: Session;
  execute(line: string): Promise<void>;
  complete(line: string): { line: string; candidates: string[] };
  requestQuit(): void;
}

/** `size` fixes the terminal size (tests); otherwise the real terminal's, following resizes. */
export function App({ shell, size }: { shell: ShellPort; size?: TerminalSize }) {
  const snap = useSyncExternalStore(shell.session.subscribe, shell.session.snapshot);
  const terminal = useTerminalSize();
  const { columns, rows } = size ?? terminal;
  shell.session.screen = { columns, rows };
  // A redraw (resize, Ctrl-L, `clear`) starts a fresh <Static> (its key)
  // that prints the log again from `from`.
  const [redraw, setRedraw] = useState({ epoch: 0, from: 0 });
  const { stdout, write } = useStdout();
  const latestRows = useRef(rows);
  latestRows.current = rows;
  const redrawRef = useRef((clearScrollback: boolean, from?: number) => {
    // Ink's write() takes its frame off, writes, and puts the frame back, so
    // Ink still knows where it is: the screen is then that frame alone until
    // the new <Static> prints the entries that fit above it.
    write(`\x1b[2J${clearScrollback ? '\x1b[3J' : ''}\x1b[H`);
    const total = shell.session.snapshot().logTotal;
    setRedraw((r) => ({ epoch: r.epoch + 1, from: from ?? Math.max(r.from, total - latestRows.current) }));
  });
  useEffect(() => shell.session.onClear((from) => redrawRef.current(true, from)), [shell.session]);
  // A narrower terminal reflows the old frame into rows Ink no longer
  // knows about: only a full redraw is clean. (A fixed `size` never changes.)
  useEffect(() => {
    if (size) return;
    const onResize = () => redrawRef.current(false);
    stdout.on('resize', onResize);
    return () => void stdout.off('resize', onResize);
  }, [stdout, size]);
  // <Static> prints items.slice(printed) and remembers items.length; the
  // store keeps only the newest entries, so hand it a view whose length is
  // the total appended since `from` and whose slice gives the kept entries
  // from there (older ones were printed already). Nothing is as long as the
  // total: a long session or a large paste costs no more per frame.
  const staticItems = useMemo(() => {
    // Only this snapshot's entries: later ones, appended to the same array
    // since, are printed by a later snapshot (printing them now showed a
    // command's answer twice and lost its echo).
    const log = snap.log;
    const first = log[0]?.id ?? snap.logTotal;
    const end = snap.logTotal - first;
    const from = redraw.from;
    return { length: snap.logTotal - from, slice: (i: number) => log.slice(Math.max(0, from + i - first), end) } as unknown as LogEntry[];
  }, [snap.log, snap.logTotal, redraw.from]);
  const queue = useRef<InputQueue | null>(null);
  queue.current ??= new InputQueue((line) => {
    // A line too long to run is echoed cut short: it is refused, not worth a screenful.
    shell.session.append('output', `${shell.session.prompt}${line.length > 200 ? `${line.slice(0, 200)}…` : line}`);
    return shell.execute(line);
  });
  // With no panel, the keys are shown on the first screen only, until a line is entered.
  const [entered, setEntered] = useState(false);
  const submit = (line: string) => {
    setEntered(true);
    queue.current!.push(line);
  };
  // Ctrl-C drops pasted lines still waiting; with none waiting it quits.
  const interrupt = () => {
    const dropped = queue.current!.clear();
    if (dropped === 0) return shell.requestQuit();
    shell.session.append('info', `interrupted: ${dropped} line${dropped === 1 ? '' : 's'} not run`);
  };
  const complete = (line: string) => {
    const r = shell.complete(line);
    if (r.candidates.length > 1) shell.session.append('info', r.candidates.join('  '));
    return r.line;
  };
  // Keys on an empty prompt (they never start a command, so they cannot fight editing).
  const session = shell.session;
  const onEmptyKey = (key: EmptyPromptKey): string | undefined => {
    const view = session.view;
    if (key === 'pageUp' || key === 'pageDown') {
      const page = panelLines(snap.group, snap.history, view, innerSize(columns, rows));
      session.setView({ scroll: Math.max(0, page.scroll + (key === 'pageDown' ? page.pageRows : -page.pageRows)) });
    } else if (key === '<' || key === '>') {
      const i = view.sort ? SORT_COLUMNS.indexOf(view.sort.column) : 0;
      const n = SORT_COLUMNS.length;
      const column = SORT_COLUMNS[(i + (key === '>' ? 1 : n - 1)) % n]!;
      void shell.execute(`sort ${column}`);
    } else if (key === '/') return 'filter ';
    else if (key === 'escape') {
      if (view.focus) void shell.execute('show');
      else if (view.filter) void shell.execute('filter');
    }
    return undefined;
  };
  const hasPanel = panelHasRows(snap.group) || snap.view.focus !== null;
  return (
    <Box flexDirection="column">
      <Static key={redraw.epoch} items={staticItems}>
        {(e) => <LogLine key={e.id} entry={e} />}
      </Static>
      <StatsPanel snap={snap} columns={columns} rows={rows} />
      {!entered || hasPanel ? (
        <Text dimColor wrap="truncate">
          {keyHint(snap, columns)}
        </Text>
      ) : null}
      <Prompt
        prompt={snap.prompt}
        onSubmit={submit}
        onComplete={complete}
        onInterrupt={interrupt}
        onQuit={() => shell.requestQuit()}
        onRedraw={() => redrawRef.current(false)}
        onEmptyKey={onEmptyKey}
      />
      <StatusLine status={snap.status} />
    </Box>
  );
}
