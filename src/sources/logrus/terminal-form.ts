// logrus's terminal form (dockerd started by hand in a shell, output captured later):
//   \x1b[36mINFO\x1b[0m[2026-11-22T01:44:28.228708411Z] heartbeat … failed     \x1b[36merror\x1b[0m="…"
// The message is not quoted but padded to 44 columns ("%-44s "), and each field is " key=value",
// so the fields start after two spaces at column 46 or later.
import { scanKeyValues } from './kv-scan.js';
import { normalizeLevel, type ParsedLine } from './parsed-line.js';
import { parseIsoTime } from './iso-time.js';

const ANSI = /\x1b\[[0-9;]*m/g; // one pass, no backtracking
const MSG_WIDTH = 44;
const MAX_TRIES = 16; // candidate field starts tried: keeps a hostile line linear

export function parseTerminalLine(text: string): ParsedLine | undefined {
  const s = text.includes('\x1b') ? text.replace(ANSI, '') : text;
  const level = normalizeLevel(s.slice(0, 4));
  if (level === 'unknown' || s.charCodeAt(4) !== 91 /* [ */) return undefined;
  const close = s.indexOf(']', 5);
  if (close < 0 || close > 48) return undefined;
  const parsed: ParsedLine = { level, msg: '', fields: {} };
  // "[0000]" (seconds since start, without FullTimestamp) gives no time
  const time = close - 5 >= 19 ? parseIsoTime(s.slice(5, close)) : undefined;
  if (time !== undefined) parsed.time = time;
  let msgStart = close + 1;
  if (s.charCodeAt(msgStart) === 32) msgStart++;
  let from = msgStart;
  for (let tries = 0; tries < MAX_TRIES; ) {
    const gap = s.indexOf('  ', from);
    if (gap < 0) break;
    let key = gap;
    while (s.charCodeAt(key) === 32) key++;
    if (key >= s.length) break;
    from = key;
    if (key < msgStart + MSG_WIDTH + 2) continue;
    tries++;
    const fields: Record<string, string> = {};
    if (scanKeyValues(s, key, s.length, fields)) {
      parsed.msg = s.slice(msgStart, gap).trimEnd();
      parsed.fields = fields;
      return parsed;
    }
  }
  parsed.msg = s.slice(msgStart).trimEnd();
  return parsed;
}
