// A single-pass scanner for logrus key=value text. Hand-written (no regex) so every line costs
// time linear in its length, whatever a mangled line contains.

const SPACE = 32;
const TAB = 9;
const QUOTE = 34;
const BACKSLASH = 92;
const EQUALS = 61;

const SIMPLE_ESCAPES: Record<string, string> = {
  n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', "'": "'", a: '\x07', b: '\b', f: '\f', v: '\v',
};

function hexValue(s: string, at: number, n: number): number {
  if (at + n > s.length) return -1;
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const c = s.charCodeAt(i);
    const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

/** Decodes the Go escape (strconv.Quote, as logrus writes %q values) at s[at] === '\\'. */
function unescape(s: string, at: number, end: number): { text: string; next: number } {
  if (at + 1 >= end) return { text: '\\', next: at + 1 };
  const c = s[at + 1];
  const simple = SIMPLE_ESCAPES[c];
  if (simple !== undefined) return { text: simple, next: at + 2 };
  const width = c === 'x' ? 2 : c === 'u' ? 4 : c === 'U' ? 8 : 0;
  if (width > 0 && at + 2 + width <= end) {
    const v = hexValue(s, at + 2, width);
    if (v >= 0 && v <= 0x10ffff) return { text: String.fromCodePoint(v), next: at + 2 + width };
  }
  return { text: '\\' + c, next: at + 2 }; // unknown escape: keep it as written
}

/**
 * Reads a quoted value starting at s[at] === '"'. An unterminated value (a line cut by the
 * journal's line limit) runs to the end. Returns the text and the index after the closing quote.
 */
export function readQuoted(s: string, at: number, end: number): { text: string; next: number; closed: boolean } {
  let i = at + 1;
  let seg = i;
  let text = '';
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c === QUOTE) {
      return { text: text + s.slice(seg, i), next: i + 1, closed: true };
    }
    if (c === BACKSLASH) {
      text += s.slice(seg, i);
      const u = unescape(s, i, end);
      text += u.text;
      i = u.next;
      seg = i;
      continue;
    }
    i++;
  }
  return { text: text + s.slice(seg, end), next: end, closed: false };
}

/**
 * Scans `key=value key="quoted value" …` from `start` to `end` into `out`. Returns false at the
 * first token that is not key=value (the text is then not logrus). Keys are anything but space,
 * '=' and '"' (they hold dots and slashes: node.id, module=node/agent).
 */
export function scanKeyValues(s: string, start: number, end: number, out: Record<string, string>): boolean {
  let i = start;
  let any = false;
  // Where the next backslash is: quoted values without one are sliced straight out. Searched again
  // only once passed, so a line costs one pass whatever it holds.
  let nextBackslash = -2;
  while (i < end) {
    let c = s.charCodeAt(i);
    while ((c === SPACE || c === TAB) && i < end) c = s.charCodeAt(++i);
    if (i >= end) break;
    const keyStart = i;
    while (i < end && c !== EQUALS && c !== SPACE && c !== QUOTE && c !== TAB) c = s.charCodeAt(++i);
    if (i >= end || c !== EQUALS || i === keyStart) return false;
    const key = s.slice(keyStart, i);
    i++;
    let value: string;
    if (i < end && s.charCodeAt(i) === QUOTE) {
      if (nextBackslash !== -1 && nextBackslash <= i) nextBackslash = s.indexOf('\\', i);
      const close = s.indexOf('"', i + 1);
      if (close !== -1 && close < end && (nextBackslash === -1 || nextBackslash > close)) {
        value = s.slice(i + 1, close);
        i = close + 1;
      } else {
        const q = readQuoted(s, i, end);
        value = q.text;
        i = q.next;
      }
      if (i < end && s.charCodeAt(i) !== SPACE && s.charCodeAt(i) !== TAB) return false;
    } else {
      const valueStart = i;
      while (i < end && (c = s.charCodeAt(i)) !== SPACE && c !== TAB) i++;
      value = s.slice(valueStart, i);
    }
    if (key !== '__proto__') out[key] = value;
    any = true;
  }
  return any;
}
