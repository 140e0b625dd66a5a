/**
 * Text that crosses a process boundary: lines typed or piped in, messages
 * sent and received over simple_mp, output of children. Stock simple_mp
 * moves bytes (C strings); the shell works in JavaScript strings. Bytes that
 * are not valid UTF-8 are carried as lone surrogates U+DC80..U+DCFF (Python's
 * "surrogateescape"), so `send` passes them on unchanged. Anything shown on
 * the screen goes through `visible` first: a peer must not be able to drive
 * the terminal (set its title, clear it, move the cursor) with what it sends.
 */

/** `text` as a pattern that matches it literally. */
export const literal = (text: string): RegExp => new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));

/** How long a command line may be, in characters; longer ones are refused whole. */
export const MAX_LINE_CHARS = 4096;

const ESCAPED_BYTE = 0xdc00;

/** UTF-8 as text, each byte of an invalid sequence as U+DC80..U+DCFF. */
export function decodeBytes(buf: Uint8Array): string {
  let out = '';
  let i = 0;
  while (i < buf.length) {
    const b = buf[i]!;
    const len = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    let cp = len === 1 ? b : len === 2 ? b & 0x1f : len === 3 ? b & 0x0f : b & 0x07;
    let ok = len > 0 && i + len <= buf.length;
    for (let k = 1; ok && k < len; k++) {
      const c = buf[i + k]!;
      if ((c & 0xc0) !== 0x80) ok = false;
      cp = (cp << 6) | (c & 0x3f);
    }
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are invalid too.
    if (ok && ((len === 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) || (len === 4 && (cp < 0x10000 || cp > 0x10ffff)))) ok = false;
    if (ok) {
      out += String.fromCodePoint(cp);
      i += len;
    } else {
      out += String.fromCharCode(ESCAPED_BYTE + b);
      i++;
    }
  }
  return out;
}

/** The inverse of decodeBytes: UTF-8, with U+DC80..U+DCFF back as the bytes they stand for. */
export function encodeText(text: string): Buffer {
  if (!/[\udc80-\udcff]/.test(text)) return Buffer.from(text, 'utf8');
  const parts: Buffer[] = [];
  let run = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const lowAlone = c >= 0xdc80 && c <= 0xdcff && !(i > 0 && text.charCodeAt(i - 1) >= 0xd800 && text.charCodeAt(i - 1) <= 0xdbff);
    if (lowAlone) {
      parts.push(Buffer.from(run, 'utf8'), Buffer.from([c - ESCAPED_BYTE]));
      run = '';
    } else run += text[i];
  }
  parts.push(Buffer.from(run, 'utf8'));
  return Buffer.concat(parts);
}

const NAMED: Record<string, string> = { '\r': '\\r', '\n': '\\n', '\x1b': '\\e' };

/**
 * The text with everything that would act on a terminal instead of showing
 * (C0 and C1 controls, DEL, bidirectional overrides, line separators,
 * escaped bytes) written out as \e, \r, \xNN or \u{NNNN}. Plain text, tables
 * and any printable Unicode come through unchanged.
 */
export function visible(text: string): string {
  // A tab only moves to the next tab stop: kept, so tables (list's) stay tables.
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]|(?<![\ud800-\udbff])[\udc80-\udcff]/g, (ch) => {
    const c = ch.charCodeAt(0);
    if (NAMED[ch]) return NAMED[ch]!;
    if (c >= 0xdc80 && c <= 0xdcff) return `\\x${(c - ESCAPED_BYTE).toString(16).padStart(2, '0')}`;
    return c <= 0xff ? `\\x${c.toString(16).padStart(2, '0')}` : `\\u{${c.toString(16)}}`;
  });
}
