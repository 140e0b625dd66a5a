import { Box, Text, useInput, useStdout } from 'ink';
import { useRef, useState } from 'react';
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
}

/**
 * The input line: renders the editor state; keys become reducer actions.
 * A pasted or fast-typed chunk can hold many lines (and Tabs): it is run
 * through the reducer in one pass and the screen updated once, so a paste
 * costs time in proportion to its size.
 */
export function Prompt({ prompt, onSubmit, onComplete, onInterrupt, onQuit }: PromptProps) {
  const [state, setState] = useState<EditorState>(emptyEditor);
  const current = useRef(state);
  const { stdout } = useStdout();
  const apply = (s: EditorState) => {
    current.current = s;
    setState(s);
  };
  const act = (a: EditorAction) => apply(editorReducer(current.current, a));

  useInput((input, key) => {
    const s = current.current;
    if (key.ctrl && input === 'c') return onInterrupt();
    if (key.ctrl && input === 'd') return s.text === '' ? onQuit() : act({ type: 'delete' });
    if (key.return) {
      act({ type: 'submit' });
      return onSubmit(s.text);
    }
    if (key.tab) return act({ type: 'replace', text: onComplete(s.text) });
    if (key.upArrow) return act({ type: 'historyUp' });
    if (key.downArrow) return act({ type: 'historyDown' });
    if (key.leftArrow) return act({ type: 'left' });
    if (key.rightArrow) return act({ type: 'right' });
    if (key.home || (key.ctrl && input === 'a')) return act({ type: 'home' });
    if (key.end || (key.ctrl && input === 'e')) return act({ type: 'end' });
    if (key.ctrl && input === 'k') return act({ type: 'killToEnd' });
    if (key.ctrl && input === 'u') return act({ type: 'killToStart' });
    if (key.ctrl && input === 'w') return act({ type: 'killWord' });
    // Terminals send DEL (0x7f) for Backspace; Ink reports it as `delete`.
    if (key.backspace || key.delete) return act({ type: 'backspace' });
    if (key.ctrl || key.meta || key.escape || !input) return;
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
      <Text bold color="green">{prompt}</Text>
      <Text>{start > 0 ? `…${shown.slice(1, at)}` : shown.slice(0, at)}</Text>
      <Text inverse>{under}</Text>
      <Text>{shown.slice(at + 1)}</Text>
    </Box>
  );
}
