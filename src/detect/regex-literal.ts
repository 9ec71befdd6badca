// The longest piece of plain text every match of a regular expression must contain. The rule
// engine tests it with String.includes before running the regex: most daemon lines (grpc "[core]"
// chatter) match no rule, and includes() is far cheaper than a regex. Conservative: when in doubt
// (top-level alternation, an escape it does not know) it returns a shorter piece or "".

const QUANTIFIER = /^\{\d+(?:,\d*)?\}/;

/** Index just past the group or class that opens at src[at] ("(" or "["). */
function skipBracketed(src: string, at: number): number {
  let depth = 0;
  let inClass = false;
  for (let i = at; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') {
      i++;
    } else if (inClass) {
      if (c === ']') {
        inClass = false;
        if (depth === 0) return i + 1;
      }
    } else if (c === '[') {
      inClass = true;
    } else if (c === '(') {
      depth++;
    } else if (c === ')') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return src.length;
}

/** Length of an escape that stands for something other than its own character (\d, \x41, \k<n> …), or 0. */
function escapeLength(src: string, at: number): number {
  const c = src[at + 1] ?? '';
  if (c === 'x') return 4;
  if (c === 'u') return src[at + 2] === '{' ? src.indexOf('}', at) + 1 - at : 6;
  if (c === 'c') return 3;
  if (c === 'p' || c === 'P') return src[at + 2] === '{' ? src.indexOf('}', at) + 1 - at : 2;
  if (c === 'k') return src[at + 2] === '<' ? src.indexOf('>', at) + 1 - at : 2;
  if (/[0-9]/.test(c)) {
    let n = 1;
    while (/[0-9]/.test(src[at + n] ?? '')) n++;
    return n;
  }
  return /[A-Za-z]/.test(c) ? 2 : 0;
}

export interface RegexText {
  /** The longest text every match contains. */
  literal: string;
  /** The text every match starts with (a regex anchored with ^), or "". */
  prefix: string;
}

export function requiredLiteral(src: string): string {
  return regexText(src).literal;
}

export function regexText(src: string): RegexText {
  let best = '';
  let run = '';
  let runAt = -1; // where in src the current run began
  let prefix: string | undefined;
  const flush = () => {
    if (run && runAt === 1 && src[0] === '^' && prefix === undefined) prefix = run;
    if (run.length > best.length) best = run;
    run = '';
    runAt = -1;
  };
  const add = (text: string, at: number) => {
    if (!run) runAt = at;
    run += text;
  };
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === '\\') {
      const len = escapeLength(src, i);
      if (len > 0) {
        flush();
        i += Math.max(len, 2);
      } else {
        add(src[i + 1] ?? '', i);
        i += 2;
      }
    } else if (c === '(' || c === '[') {
      flush();
      i = skipBracketed(src, i);
    } else if (c === '|') {
      return { literal: '', prefix: '' }; // a top-level alternative: no text is required by every match
    } else if (c === '*' || c === '?' || (c === '{' && QUANTIFIER.test(src.slice(i, i + 24)))) {
      // the previous character may be absent (both halves when it is a surrogate pair)
      run = run.slice(0, /[\udc00-\udfff]$/.test(run) ? -2 : -1);
      flush();
      i += c === '{' ? src.indexOf('}', i) + 1 - i : 1;
    } else if (c === '+') {
      flush();
      i++;
    } else if (c === '.' || c === '^' || c === '$') {
      flush();
      i++;
    } else {
      add(c, i);
      i++;
    }
  }
  flush();
  return { literal: best, prefix: prefix ?? '' };
}
