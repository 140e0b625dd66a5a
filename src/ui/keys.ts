/**
 * Keys from the terminal, read by us rather than by Ink's useInput: its
 * legacy table throws on any CSI sequence it does not know once a modifier
 * bit is set (Ctrl+F1 `\e[1;5P`, or `\e[31m` arriving as input: a TypeError
 * in use-input.js that ends the shell), and it inserts the others as text.
 *
 * Ink's input parser already splits stdin into events (one escape sequence,
 * or a run of text that may be a whole paste); this module names the keys
 * the prompt uses and returns null for every other sequence, so anything a
 * terminal can send is either a key, text, or ignored.
 */
import { useStdin } from 'ink';
import { useEffect, useRef } from 'react';

export type KeyName =
  'return' | 'tab' | 'backspace' | 'delete' | 'escape' | 'up' | 'down' | 'left' | 'right' | 'home' | 'end' | 'pageUp' | 'pageDown' | 'insert' | `f${number}`;

export interface Key {
  /** A named key, or undefined for text and Ctrl-letters. */
  readonly name?: KeyName;
  /** Ctrl with a letter, as the letter (Ctrl-C is 'c'). */
  readonly ctrl?: string;
  /** Typed or pasted text (a paste may hold CR, LF and Tab); '' for keys. */
  readonly text: string;
}

const ESC = '\x1b';

const key = (name: KeyName): Key => ({ name, text: '' });

/** `ESC [ n ~` keys (xterm, rxvt, the Linux console). */
const TILDE_KEYS: Record<string, KeyName> = {
  '1': 'home',
  '2': 'insert',
  '3': 'delete',
  '4': 'end',
  '5': 'pageUp',
  '6': 'pageDown',
  '7': 'home',
  '8': 'end',
  '11': 'f1',
  '12': 'f2',
  '13': 'f3',
  '14': 'f4',
  '15': 'f5',
  '17': 'f6',
  '18': 'f7',
  '19': 'f8',
  '20': 'f9',
  '21': 'f10',
  '23': 'f11',
  '24': 'f12',
};

/** `ESC [ letter`, `ESC [ 1 ; mod letter` and `ESC O letter` keys. */
const LETTER_KEYS: Record<string, KeyName> = {
  A: 'up',
  B: 'down',
  C: 'right',
  D: 'left',
  H: 'home',
  F: 'end',
  P: 'f1',
  Q: 'f2',
  R: 'f3',
  S: 'f4',
};

/** The Linux console's F1–F5: `ESC [ [ A` … `ESC [ [ E`. */
const CONSOLE_F_KEYS: Record<string, KeyName> = { A: 'f1', B: 'f2', C: 'f3', D: 'f4', E: 'f5' };

// eslint-disable-next-line no-control-regex
const CSI = /^\x1b{1,2}\[(\[?)([\x30-\x3f]*)[\x20-\x2f]*([\x40-\x7e])$/;
// eslint-disable-next-line no-control-regex
const SS3 = /^\x1b{1,2}O([\x40-\x7e])$/;

function controlKey(code: number): Key {
  if (code === 0x0d || code === 0x0a) return key('return');
  if (code === 0x09) return key('tab');
  if (code === 0x08) return key('backspace');
  if (code === 0x1b) return key('escape');
  return { ctrl: String.fromCharCode(code + 0x60), text: '' };
}

/** A `CSI codepoint ; modifiers u` key (fixterms, kitty): text, or a Ctrl-letter. */
function csiU(params: string): Key | null {
  const [cp, mods] = params.split(';').map((p) => Number(p.split(':')[0]));
  if (cp === undefined || !Number.isInteger(cp) || cp < 0 || cp > 0x10ffff) return null;
  const modifiers = Number.isInteger(mods) && mods! > 0 ? mods! - 1 : 0;
  if (cp < 0x20 || cp === 0x7f) return parseKey(String.fromCharCode(cp));
  // Kitty's functional keys (F13+, media, modifiers alone) use the private use area: not text.
  if (cp >= 0xe000 && cp <= 0xf8ff) return null;
  if (modifiers === 0 || modifiers === 1) return { text: String.fromCodePoint(cp) };
  if (modifiers === 4 && /^[a-z]$/i.test(String.fromCodePoint(cp))) return { ctrl: String.fromCodePoint(cp).toLowerCase(), text: '' };
  return null;
}

function csi(consoleF: string, params: string, final: string): Key | null {
  if (consoleF) return CONSOLE_F_KEYS[final] && params === '' ? key(CONSOLE_F_KEYS[final]) : null;
  // Only the shapes keys take: `n ; mod ~`, `1 ; mod X` or a bare letter; `31m`, `?1049h`, `<0;3;4M` are not keys.
  if (final === '~') {
    const m = /^(\d+)(?:;\d+)?$/.exec(params);
    const name = m ? TILDE_KEYS[m[1]!] : undefined;
    return name ? key(name) : null;
  }
  if (final === 'u') return csiU(params);
  const name = LETTER_KEYS[final];
  return name && /^(?:1?;\d+|1?)$/.test(params) ? key(name) : null;
}

/** One input event from Ink's parser as a key or text; null for what is no key we use. */
export function parseKey(event: string): Key | null {
  if (event === '') return null;
  if (!event.startsWith(ESC)) {
    if (event.length === 1 && event < ' ') return controlKey(event.charCodeAt(0));
    if (event === '\x7f') return key('backspace');
    return { text: event };
  }
  if (event === ESC || event === ESC + ESC) return key('escape');
  const c = CSI.exec(event);
  if (c) return csi(c[1]!, c[2]!, c[3]!);
  const s = SS3.exec(event);
  if (s) return LETTER_KEYS[s[1]!] ? key(LETTER_KEYS[s[1]!]!) : null;
  // Alt+key and anything else after an ESC: no binding of ours.
  return null;
}

/**
 * Parses events in order. An X10 mouse report (`ESC [ M` then three raw
 * bytes) reaches us as a sequence and then text: the three bytes are dropped.
 */
export function createKeyReader(): (event: string) => Key[] {
  let mouseBytes = 0;
  return (event) => {
    if (event === `${ESC}[M`) {
      mouseBytes = 3;
      return [];
    }
    if (mouseBytes > 0 && !event.startsWith(ESC)) {
      const chars = [...event];
      const drop = Math.min(mouseBytes, chars.length);
      mouseBytes -= drop;
      event = chars.slice(drop).join('');
    } else mouseBytes = 0;
    const k = parseKey(event);
    return k ? [k] : [];
  };
}

/** Calls `handler` for every key or text the terminal sends (raw mode while mounted). */
export function useKeys(handler: (key: Key) => void): void {
  const { setRawMode, internal_eventEmitter: events } = useStdin();
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => {
    setRawMode(true);
    return () => setRawMode(false);
  }, [setRawMode]);
  useEffect(() => {
    const read = createKeyReader();
    const onInput = (data: string) => {
      for (const k of read(data)) latest.current(k);
    };
    events.on('input', onInput);
    return () => void events.off('input', onInput);
  }, [events]);
}
