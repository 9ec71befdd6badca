// A `journalctl -o json` record → a DaemonEntry. Pure; never throws on odd records.
import { parseDaemonLine } from '../detect/parse-line.js';
import type { DaemonEntry } from '../detect/types.js';

export type JournalRecord = Record<string, unknown>;

const MAX_MESSAGE = 64 * 1024; // longer daemon lines are truncated before parsing: nothing we match is that long
const decoder = new TextDecoder('utf-8', { fatal: false });

/**
 * journalctl prints non-UTF-8 values as byte arrays and repeated fields as arrays of values: two
 * levels at most. Deeper nesting is not journalctl's and is not followed (it would exhaust the stack).
 */
export function fieldText(value: unknown, depth = 0): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && depth < 2) {
    if (value.every((v) => typeof v === 'number')) return decoder.decode(Uint8Array.from(value as number[]));
    const parts = value.map((v) => fieldText(v, depth + 1)).filter((v): v is string => v !== undefined);
    return parts.length ? parts.join('\n') : undefined;
  }
  return undefined;
}

/** The node a record belongs to: SYSLOG_IDENTIFIER dockerd-<node> (the lab), else the fallback, else _HOSTNAME. */
export function recordNode(record: JournalRecord, fallback?: string): string {
  const ident = fieldText(record.SYSLOG_IDENTIFIER);
  const m = ident ? /^dockerd-(.+)$/.exec(ident) : null;
  if (m) return m[1];
  return fallback ?? fieldText(record._HOSTNAME) ?? 'unknown';
}

export function realtimeMs(record: JournalRecord): number | undefined {
  const us = fieldText(record.__REALTIME_TIMESTAMP);
  return us && /^\d+$/.test(us) ? Number(us) / 1000 : undefined;
}

export function recordToEntry(record: JournalRecord, node: string): DaemonEntry {
  let message = fieldText(record.MESSAGE) ?? '';
  if (message.length > MAX_MESSAGE) message = message.slice(0, MAX_MESSAGE);
  const parsed = parseDaemonLine(message);
  return {
    node,
    time: parsed.time ?? realtimeMs(record) ?? 0,
    level: parsed.level,
    msg: parsed.msg,
    fields: parsed.fields,
    ...(parsed.raw ? { raw: true } : {}),
    cursor: fieldText(record.__CURSOR),
    bootId: fieldText(record._BOOT_ID),
  };
}
