import { Box, Text, useStdout } from 'ink';
import { useRef, useState } from 'react';
import { useKeys, type KeyName } from './keys.js';
import { editorReducer, emptyEditor, type EditorAction, type EditorState } from './lineEditor.js';

export interface PromptProps {
  prompt: string;
  /** A finished line; may be one of many from a paste. */
  onSubmit(line: string): void;
  /** Returns the completed line; may log candidates. */
  onComplete(line: string): string;
  /** Ctrl-C. */
  onInterrupt(): void;
  /** Ctrl-D on an empty line. */
  onQuit(): void;
  /** Ctrl-L: redraw the screen. */
  onRedraw?(): void;
  /** View keys: PgUp/PgDn always, the others only on an empty line; may return text to start the line with. */
  onEmptyKey?(key: EmptyPromptKey): string | undefined;
}

export type EmptyPromptKey = '<' | '>' | '/' | 'escape' | 'pageUp' | 'pageDown';

/** Editing keys (Backspace arrives as DEL or BS, Delete as `ESC [ 3 ~`). */
const NAMED_ACTIONS: Partial<Record<KeyName, EditorAction>> = {
  up: { type: 'historyUp' },
  down: { type: 'historyDown' },
  left: { type: 'left' },
  right: { type: 'right' },
  home: { type: 'home' },
  end: { type: 'end' },
  backspace: { type: 'backspace' },
  delete: { type: 'delete' },
};

/** Emacs-style Ctrl keys, as readline has them. */
const CTRL_ACTIONS: Record<string, EditorAction> = {
  a: { type: 'home' },
  e: { type: 'end' },
  k: { type: 'killToEnd' },
  u: { type: 'killToStart' },
  w: { type: 'killWord' },
};

/**
 * The input line: renders the editor state; keys become reducer actions.
 * A pasted or fast-typed chunk can hold many lines (and Tabs): it is run
 * through the reducer in one pass and the screen updated once, so a paste
 * costs time in proportion to its size.
 */
export function Prompt({ prompt, onSubmit, onComplete, onInterrupt, onQuit, onRedraw, onEmptyKey }: PromptProps) {
  const [state, setState] = useState<EditorState>(emptyEditor);
  const current = useRef(state);
  const { stdout } = useStdout();
  const apply = (s: EditorState) => {
    current.current = s;
    setState(s);
  };
  const act = (a: EditorAction) => apply(editorReducer(current.current, a));

  useKeys((key) => {
    const s = current.current;
    if (key.ctrl === 'c') return onInterrupt();
    if (key.ctrl === 'd') return s.text === '' ? onQuit() : act({ type: 'delete' });
    if (key.ctrl === 'l') return onRedraw?.();
    if (key.name === 'return') {
      act({ type: 'submit' });
      return onSubmit(s.text);
    }
    if (onEmptyKey) {
      const name = key.name;
      const viewKey: EmptyPromptKey | undefined =
        name === 'pageUp' || name === 'pageDown'
          ? name
          : s.text !== ''
            ? undefined
            : name === 'escape'
              ? 'escape'
              : key.text === '<' || key.text === '>' || key.text === '/'
                ? key.text
                : undefined;
      if (viewKey) {
        const start = onEmptyKey(viewKey);
        if (start) act({ type: 'replace', text: start });
        return;
      }
    }
    const action = key.name ? NAMED_ACTIONS[key.name] : key.ctrl ? CTRL_ACTIONS[key.ctrl] : undefined;
    if (key.name === 'tab') return act({ type: 'replace', text: onComplete(s.text) });
    if (action) return act(action);
    const input = key.text;
    if (!input) return;
    let next = s;
    const lines: string[] = [];
    let from = 0;
    let interrupted = false;
    for (let i = 0; i < input.length && !interrupted; i++) {
      const ch = input[i];
      if (ch !== '\r' && ch !== '\n' && ch !== '\t' && ch !== '\x03') continue;
      if (i > from) next = editorReducer(next, { type: 'insert', text: input.slice(from, i) });
      from = i + 1;
      // A Ctrl-C read together with the end of a paste is a key, not text.
      if (ch === '\x03') interrupted = true;
      else if (ch === '\t') next = editorReducer(next, { type: 'replace', text: onComplete(next.text) });
      else {
        // CR LF from a paste is one line end, not an empty line between.
        if (ch === '\n' && input[i - 1] === '\r') continue;
        lines.push(next.text);
        next = editorReducer(next, { type: 'submit' });
      }
    }
    if (from < input.length && !interrupted) next = editorReducer(next, { type: 'insert', text: input.slice(from) });
    apply(next);
    for (const line of lines) onSubmit(line);
    if (interrupted) onInterrupt();
  });

  // One screen line: a window around the cursor when the text is wider.
  const { text, cursor } = state;
  const width = Math.max(10, (stdout.columns || 80) - prompt.length - 1);
  const start = text.length < width ? 0 : Math.max(0, Math.min(cursor - Math.floor((width * 3) / 4), text.length + 1 - width));
  const shown = text.slice(start, start + width);
  const at = cursor - start;
  const under = shown[at] ?? ' ';
  return (
    <Box>
      <Text bold color="green">
        {prompt}
      </Text>
      <Text>{start > 0 ? `…${shown.slice(1, at)}` : shown.slice(0, at)}</Text>
      <Text inverse>{under}</Text>
      <Text>{shown.slice(at + 1)}</Text>
    </Box>
  );
}
