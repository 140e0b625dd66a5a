/**
 * The TTY screen: the append-only log in <Static> (drawn once per entry), the
 * live panels below it, then the prompt and the status line. It renders the
 * session store and forwards typed lines to the shell; it owns no state of
 * its own but the line being edited.
 */
import { Box, Static } from 'ink';
import { useMemo, useSyncExternalStore } from 'react';
import type { LogEntry } from '../core/session.js';
import type { Session } from '../core/session.js';
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
  // <Static> prints items[printed..] and remembers items.length; the store
  // keeps only the newest entries, so hand it an array whose length is the
  // total ever appended, with the dropped (already printed) ones as holes.
  const staticItems = useMemo(() => {
    const items = new Array<LogEntry>(snap.logTotal - snap.log.length);
    items.push(...snap.log);
    return items;
  }, [snap.log, snap.logTotal]);
  const submit = (line: string) => {
    shell.session.append('output', `${snap.prompt}${line}`);
    void shell.execute(line);
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
      <Prompt prompt={snap.prompt} onSubmit={submit} onComplete={complete} onQuit={() => shell.requestQuit()} />
      <StatusLine status={snap.status} />
    </Box>
  );
}
