import { Box, Text, useInput } from 'ink';
import { useReducer } from 'react';
import { editorReducer, emptyEditor } from './lineEditor.js';

export interface PromptProps {
  prompt: string;
  onSubmit(line: string): void;
  /** Returns the completed line; may log candidates. */
  onComplete(line: string): string;
  /** Ctrl-D on an empty line, or Ctrl-C. */
  onQuit(): void;
}

/** The input line: renders the editor state; keys become reducer actions. */
export function Prompt({ prompt, onSubmit, onComplete, onQuit }: PromptProps) {
  const [state, dispatch] = useReducer(editorReducer, emptyEditor);

  useInput((input, key) => {
    if (key.ctrl && input === 'c') return onQuit();
    if (key.ctrl && input === 'd') {
      if (state.text === '') return onQuit();
      return dispatch({ type: 'delete' });
    }
    if (key.return) {
      dispatch({ type: 'submit' });
      return onSubmit(state.text);
    }
    if (key.tab) return dispatch({ type: 'replace', text: onComplete(state.text) });
    if (key.upArrow) return dispatch({ type: 'historyUp' });
    if (key.downArrow) return dispatch({ type: 'historyDown' });
    if (key.leftArrow) return dispatch({ type: 'left' });
    if (key.rightArrow) return dispatch({ type: 'right' });
    if (key.home || (key.ctrl && input === 'a')) return dispatch({ type: 'home' });
    if (key.end || (key.ctrl && input === 'e')) return dispatch({ type: 'end' });
    if (key.ctrl && input === 'k') return dispatch({ type: 'killToEnd' });
    if (key.ctrl && input === 'u') return dispatch({ type: 'killToStart' });
    if (key.ctrl && input === 'w') return dispatch({ type: 'killWord' });
    // Terminals send DEL (0x7f) for Backspace; Ink reports it as `delete`.
    if (key.backspace || key.delete) return dispatch({ type: 'backspace' });
    if (key.ctrl || key.meta || key.escape) return;
    if (input) dispatch({ type: 'insert', text: input });
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
