import { Box, Text, useInput } from 'ink';
import { useRef, useState } from 'react';
import { editorReducer, emptyEditor, type EditorAction, type EditorState } from './lineEditor.js';

export interface PromptProps {
  prompt: string;
  onSubmit(line: string): void;
  /** Returns the completed line; may log candidates. */
  onComplete(line: string): string;
  /** Ctrl-D on an empty line, or Ctrl-C. */
  onQuit(): void;
  /** View keys: PgUp/PgDn always, the others only on an empty line; may return text to start the line with. */
  onEmptyKey?(key: EmptyPromptKey): string | undefined;
}

export type EmptyPromptKey = '<' | '>' | '/' | 'escape' | 'pageUp' | 'pageDown';

/**
 * The input line: renders the editor state; keys become reducer actions.
 * A pasted or fast-typed chunk can hold several lines (and Tabs): it is
 * replayed character by character so each line is submitted in order.
 */
export function Prompt({ prompt, onSubmit, onComplete, onQuit, onEmptyKey }: PromptProps) {
  const [state, setState] = useState<EditorState>(emptyEditor);
  const current = useRef(state);
  const apply = (s: EditorState) => {
    current.current = s;
    setState(s);
  };
  const act = (a: EditorAction) => apply(editorReducer(current.current, a));
  const submit = () => {
    const line = current.current.text;
    act({ type: 'submit' });
    onSubmit(line);
  };

  useInput((input, key) => {
    const s = current.current;
    if (key.ctrl && input === 'c') return onQuit();
    if (key.ctrl && input === 'd') return s.text === '' ? onQuit() : act({ type: 'delete' });
    if (key.return) return submit();
    if (onEmptyKey) {
      const viewKey: EmptyPromptKey | undefined = key.pageUp
        ? 'pageUp'
        : key.pageDown
          ? 'pageDown'
          : s.text !== ''
            ? undefined
            : key.escape
              ? 'escape'
              : input === '<' || input === '>' || input === '/'
                ? input
                : undefined;
      if (viewKey) {
        const start = onEmptyKey(viewKey);
        if (start) act({ type: 'replace', text: start });
        return;
      }
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
    let pending = '';
    const flush = () => {
      if (pending) act({ type: 'insert', text: pending });
      pending = '';
    };
    for (const ch of input) {
      if (ch === '\r' || ch === '\n') {
        flush();
        submit();
      } else if (ch === '\t') {
        flush();
        act({ type: 'replace', text: onComplete(current.current.text) });
      } else pending += ch;
    }
    flush();
  });

  const { text, cursor } = state;
  const under = text[cursor] ?? ' ';
  return (
    <Box>
      <Text bold color="green">{prompt}</Text>
      <Text>{text.slice(0, cursor)}</Text>
      <Text inverse>{under}</Text>
      <Text>{text.slice(cursor + 1)}</Text>
    </Box>
  );
}
