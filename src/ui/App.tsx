/**
 * The TTY screen: the append-only log in <Static> (drawn once per entry), the
 * live panels below it, then the prompt and the status line. It renders the
 * session store and forwards typed lines to the shell; it owns no state of
 * its own but the line being edited.
 */
import { Box, Static } from 'ink';
import { useMemo, useRef, useSyncExternalStore } from 'react';
import type { LogEntry } from '../core/session.js';
import type { Session } from '../core/session.js';
import { InputQueue } from './inputQueue.js';
import { LogLine } from './LogLine.js';
import { Prompt } from './Prompt.js';
import { StatsPanel } from './StatsPanel.js';
import { StatusLine } from './StatusLine.js';

export interface ShellPort {
  session: Session;
  execute(line: string): Promise<void>;
  complete(line: string): { line: string; candidates: string[] };
  requestQuit(): void;
}

export function App({ shell }: { shell: ShellPort }) {
  const snap = useSyncExternalStore(shell.session.subscribe, shell.session.snapshot);
  // <Static> prints items.slice(printed) and remembers items.length; the
  // store keeps only the newest entries, so hand it a view whose length is
  // the total ever appended and whose slice gives the kept entries from
  // there (older ones were printed already). Nothing is as long as the
  // total: a long session or a large paste costs no more per frame.
  const staticItems = useMemo(() => {
    const log = snap.log;
    const first = snap.logTotal - log.length;
    return { length: snap.logTotal, slice: (from: number) => log.slice(Math.max(0, from - first)) } as unknown as LogEntry[];
  }, [snap.log, snap.logTotal]);
  const queue = useRef<InputQueue | null>(null);
  queue.current ??= new InputQueue((line) => {
    // A line too long to run is echoed cut short: it is refused, not worth a screenful.
    shell.session.append('output', `${shell.session.prompt}${line.length > 200 ? `${line.slice(0, 200)}…` : line}`);
    return shell.execute(line);
  });
  const submit = (line: string) => queue.current!.push(line);
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
  return (
    <Box flexDirection="column">
      <Static items={staticItems}>{(e) => <LogLine key={e.id} entry={e} />}</Static>
      <StatsPanel group={snap.group} portNames={snap.status?.portNames} />
      <Prompt prompt={snap.prompt} onSubmit={submit} onComplete={complete} onInterrupt={interrupt} onQuit={() => shell.requestQuit()} />
      <StatusLine status={snap.status} />
    </Box>
  );
}
