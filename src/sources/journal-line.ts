// One line of `journalctl -o json` → a JournalRecord with only the fields the watchdog reads. A
// record carries twenty-odd fields (_CMDLINE, _SYSTEMD_CGROUP, _CAP_EFFECTIVE …) and parsing them
// all was the largest cost per journal entry. The scanner walks the top-level object, jumping from
// quote to quote with indexOf, and keeps the wanted string values; anything it does not expect (a
// non-string value such as journalctl's byte arrays, an escaped key, a broken line) goes to
// JSON.parse, which then reads the line whole or throws as before.
import type { JournalRecord } from './journal-record.js';

/** Every field the agent and the detect pipeline read from a journal record. */
export const READ_FIELDS: ReadonlySet<string> = new Set([
  '__CURSOR', '__REALTIME_TIMESTAMP', '_BOOT_ID', '_HOSTNAME', 'MESSAGE', 'SYSLOG_IDENTIFIER',
  'CONTAINER_ID', 'CONTAINER_NAME', 'COM_DOCKER_SWARM_SERVICE_NAME', 'COM_DOCKER_SWARM_TASK_ID',
]);

const QUOTE = 34;
const BACKSLASH = 92;

/** True when the quote at s[q] is escaped (an odd run of backslashes before it, after `from`). */
function escaped(s: string, q: number, from: number): boolean {
  let b = q - 1;
  while (b >= from && s.charCodeAt(b) === BACKSLASH) b--;
  return (q - 1 - b) % 2 === 1;
}

/** The wanted keys by length: a key is compared in place, never cut out of the line. */
type KeyIndex = (string[] | undefined)[];

const indexes = new WeakMap<ReadonlySet<string>, KeyIndex>();

function keyIndex(fields: ReadonlySet<string>): KeyIndex {
  let index = indexes.get(fields);
  if (!index) {
    index = [];
    for (const f of fields) (index[f.length] ??= []).push(f);
    indexes.set(fields, index);
  }
  return index;
}

function wantedKey(s: string, at: number, length: number, index: KeyIndex): string | undefined {
  const candidates = index[length];
  if (candidates) for (const k of candidates) if (s.startsWith(k, at)) return k;
  return undefined;
}

/**
 * Where the string value opening at s[v - 1] ends: the first unescaped quote followed by `,"` (the
 * next key) or closing the line with `"}`. In a valid string every quote is escaped, so this is its
 * end; -1 when the line ends first (a line cut short).
 */
function valueEnd(s: string, v: number): number {
  let from = v;
  for (;;) {
    const q = s.indexOf('","', from);
    if (q < 0) break;
    if (!escaped(s, q, v)) return q;
    from = q + 1;
  }
  const last = s.length - 2;
  return last >= v && s.charCodeAt(last) === QUOTE && s.charCodeAt(last + 1) === 125 && !escaped(s, last, v) ? last : -1;
}

/**
 * The wanted fields of `{"KEY":"value",…}` as journalctl writes it (compact, string values), or
 * undefined for anything else. Jumps from field to field with indexOf on `","`: quotes escaped
 * inside a message cost nothing.
 */
function scan(s: string, fields: ReadonlySet<string>): JournalRecord | undefined {
  if (s.charCodeAt(0) !== 123 /* { */ || s.charCodeAt(1) !== QUOTE) return undefined;
  const index = keyIndex(fields);
  const out: JournalRecord = {};
  let backslash = -2; // the next backslash at or after the current field, searched again once passed
  for (let k = 2; ; ) {
    const colon = s.indexOf('":', k);
    if (colon < 0 || s.indexOf('"', k) !== colon || s.charCodeAt(colon + 2) !== QUOTE) return undefined; // odd key, or not a string value
    if (backslash !== -1 && backslash < k) backslash = s.indexOf('\\', k);
    if (backslash !== -1 && backslash < colon) return undefined;
    const v = colon + 3;
    const end = valueEnd(s, v);
    if (end < 0) return undefined;
    const key = wantedKey(s, k, colon - k, index);
    if (key !== undefined) {
      if (backslash !== -1 && backslash < v) backslash = s.indexOf('\\', v);
      out[key] = backslash === -1 || backslash > end ? s.slice(v, end) : (JSON.parse(s.slice(v - 1, end + 1)) as string);
    }
    if (end === s.length - 2) return out;
    k = end + 3;
  }
}

/**
 * The record on one journalctl JSON line, with the fields in `fields` (string values are not
 * checked where they are skipped). Throws a SyntaxError when the line is not JSON, like JSON.parse.
 */
export function readJournalLine(line: string, fields: ReadonlySet<string> = READ_FIELDS): JournalRecord {
  const record = scan(line, fields);
  if (record) return record;
  const doc = JSON.parse(line) as unknown;
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new SyntaxError('a journal line is a JSON object');
  const kept: JournalRecord = {};
  for (const key of fields) if (Object.hasOwn(doc, key)) kept[key] = (doc as JournalRecord)[key];
  return kept;
}
