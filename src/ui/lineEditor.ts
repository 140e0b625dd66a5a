import { MAX_LINE_CHARS } from '../core/util/text.js';

/**
 * The prompt's editing state as a pure reducer (cursor movement, kill and
 * yank-less deletion, history), so it is tested without a terminal.
 */
export interface EditorState {
  readonly text: string;
  readonly cursor: number;
  readonly history: readonly string[];
  /** Index into history while browsing it; history.length when editing a fresh line. */
  readonly historyIndex: number;
  /** The unfinished line kept while browsing history. */
  readonly draft: string;
}

export type EditorAction =
  | { type: 'insert'; text: string }
  | { type: 'backspace' }
  | { type: 'delete' }
  | { type: 'left' }
  | { type: 'right' }
  | { type: 'home' }
  | { type: 'end' }
  | { type: 'killToEnd' }
  | { type: 'killToStart' }
  | { type: 'killWord' }
  | { type: 'historyUp' }
  | { type: 'historyDown' }
  | { type: 'replace'; text: string }
  | { type: 'submit' };

const HISTORY_LIMIT = 200;

/**
 * The editor keeps one character past the longest line a command may be, so
 * the registry refuses a longer paste whole, and a huge paste costs neither
 * memory nor redraw time.
 */
export const EDITOR_LIMIT = MAX_LINE_CHARS + 1;

export const emptyEditor: EditorState = { text: '', cursor: 0, history: [], historyIndex: 0, draft: '' };

function withText(s: EditorState, text: string, cursor: number): EditorState {
  return { ...s, text, cursor: Math.max(0, Math.min(cursor, text.length)) };
}

export function editorReducer(s: EditorState, a: EditorAction): EditorState {
  const { text, cursor } = s;
  switch (a.type) {
    case 'insert': {
      // Pasted control characters (other than tab) would corrupt the screen.
      // eslint-disable-next-line no-control-regex
      const clean = a.text.replace(/[\x00-\x08\x0a-\x1f\x7f]/g, '').slice(0, Math.max(0, EDITOR_LIMIT - text.length));
      if (clean === '') return s;
      return withText(s, text.slice(0, cursor) + clean + text.slice(cursor), cursor + clean.length);
    }
    case 'backspace':
      return cursor === 0 ? s : withText(s, text.slice(0, cursor - 1) + text.slice(cursor), cursor - 1);
    case 'delete':
      return withText(s, text.slice(0, cursor) + text.slice(cursor + 1), cursor);
    case 'left':
      return withText(s, text, cursor - 1);
    case 'right':
      return withText(s, text, cursor + 1);
    case 'home':
      return withText(s, text, 0);
    case 'end':
      return withText(s, text, text.length);
    case 'killToEnd':
      return withText(s, text.slice(0, cursor), cursor);
    case 'killToStart':
      return withText(s, text.slice(cursor), 0);
    case 'killWord': {
      const before = text.slice(0, cursor).replace(/\S+\s*$|\s+$/, '');
      return withText(s, before + text.slice(cursor), before.length);
    }
    case 'historyUp': {
      if (s.historyIndex === 0) return s;
      const draft = s.historyIndex === s.history.length ? text : s.draft;
      const t = s.history[s.historyIndex - 1]!;
      return { ...s, text: t, cursor: t.length, historyIndex: s.historyIndex - 1, draft };
    }
    case 'historyDown': {
      if (s.historyIndex >= s.history.length) return s;
      const i = s.historyIndex + 1;
      const t = i === s.history.length ? s.draft : s.history[i]!;
      return { ...s, text: t, cursor: t.length, historyIndex: i };
    }
    case 'replace':
      return withText(s, a.text, a.text.length);
    case 'submit': {
      const keep = text.trim() !== '' && s.history.at(-1) !== text;
      const history = keep ? [...s.history, text].slice(-HISTORY_LIMIT) : s.history;
      return { text: '', cursor: 0, history, historyIndex: history.length, draft: '' };
    }
  }
}
