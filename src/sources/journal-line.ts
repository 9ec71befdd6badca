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

function skipSpace(s: string, i: number): number {
  for (;;) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return i;
    i++;
  }
}

/** Index of the quote closing the string that opens at s[open], or -1. */
function stringEnd(s: string, open: number): number {
  let from = open + 1;
  for (;;) {
    const q = s.indexOf('"', from);
    if (q < 0) return -1;
    let b = q - 1;
    while (b > open && s.charCodeAt(b) === BACKSLASH) b--;
    if ((q - 1 - b) % 2 === 0) return q; // an even run of backslashes: the quote is not escaped
    from = q + 1;
  }
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

/** The wanted fields of a flat object of string values, or undefined when the line is anything else. */
function scan(s: string, fields: ReadonlySet<string>): JournalRecord | undefined {
  const index = keyIndex(fields);
  let i = skipSpace(s, 0);
  if (s.charCodeAt(i) !== 123 /* { */) return undefined;
  i = skipSpace(s, i + 1);
  const out: JournalRecord = {};
  let backslash = -2; // the next backslash at or after the current value, searched again once passed
  if (s.charCodeAt(i) === 125 /* } */) return skipSpace(s, i + 1) === s.length ? out : undefined;
  for (;;) {
    if (s.charCodeAt(i) !== QUOTE) return undefined;
    const keyEnd = s.indexOf('"', i + 1);
    if (keyEnd < 0) return undefined;
    if (backslash !== -1 && backslash < i) backslash = s.indexOf('\\', i);
    if (backslash !== -1 && backslash < keyEnd) return undefined; // an escaped key: let JSON.parse read it
    const key = wantedKey(s, i + 1, keyEnd - i - 1, index);
    i = skipSpace(s, keyEnd + 1);
    if (s.charCodeAt(i) !== 58 /* : */) return undefined;
    i = skipSpace(s, i + 1);
    if (s.charCodeAt(i) !== QUOTE) return undefined; // not a string: byte arrays, repeated fields
    const end = stringEnd(s, i);
    if (end < 0) return undefined;
    if (key !== undefined) {
      if (backslash !== -1 && backslash < i) backslash = s.indexOf('\\', i);
      out[key] = backslash === -1 || backslash > end ? s.slice(i + 1, end) : (JSON.parse(s.slice(i, end + 1)) as string);
    }
    i = skipSpace(s, end + 1);
    const c = s.charCodeAt(i);
    if (c === 125) return skipSpace(s, i + 1) === s.length ? out : undefined;
    if (c !== 44 /* , */) return undefined;
    i = skipSpace(s, i + 1);
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
