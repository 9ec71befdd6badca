// A journal record (`journalctl -o json`, `-o export`, the agent's follower) → a LineItem. The
// journald fields decide first (a container, systemd about the Docker unit, the kernel), then the
// message's own format. Pure; never throws on odd records.
import type { JournalRecord } from '../adapters/journalctl.js';
import type { DaemonEntry } from './entry.js';
import type { LineItem } from './line-item.js';
import { parseLogrusLine } from './logrus/parse.js';
import { classifyProgram, unitItem } from './text/programs.js';

export type { JournalRecord };

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

export function isContainerRecord(record: JournalRecord): boolean {
  return record.CONTAINER_ID !== undefined || record.CONTAINER_NAME !== undefined;
}

/** Swarm names task containers <service>.<slot>.<task id>; the journald driver's labels say it directly when configured. */
export function containerIdentity(record: JournalRecord): { service: string; taskId: string } {
  const name = fieldText(record.CONTAINER_NAME) ?? '';
  const parts = name.split('.');
  const service = fieldText(record.COM_DOCKER_SWARM_SERVICE_NAME) ?? (parts.length >= 3 ? parts.slice(0, -2).join('.') : name);
  const taskId = fieldText(record.COM_DOCKER_SWARM_TASK_ID) ?? (parts.length >= 3 ? parts[parts.length - 1] : fieldText(record.CONTAINER_ID) ?? name);
  return { service, taskId };
}

function message(record: JournalRecord): string {
  const text = fieldText(record.MESSAGE) ?? '';
  return text.length > MAX_MESSAGE ? text.slice(0, MAX_MESSAGE) : text;
}

export function recordToEntry(record: JournalRecord, node: string): DaemonEntry {
  const parsed = parseLogrusLine(message(record));
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

/** The record's program as journald knows it: the identifier, else the command, else the unit. */
function program(record: JournalRecord): string | undefined {
  return fieldText(record.SYSLOG_IDENTIFIER) ?? fieldText(record._COMM) ?? fieldText(record._SYSTEMD_UNIT);
}

export function recordItem(record: JournalRecord, node: string): LineItem {
  const time = realtimeMs(record) ?? 0;
  const bootId = fieldText(record._BOOT_ID);
  if (isContainerRecord(record)) return { kind: 'container', node, time, bootId, message: fieldText(record.MESSAGE) ?? '', ...containerIdentity(record) };
  const prog = program(record);
  const kind = fieldText(record._TRANSPORT) === 'kernel' ? 'kernel' : classifyProgram(prog, fieldText(record._SYSTEMD_UNIT));
  if (kind === 'kernel') return /^Linux version \d/.test(message(record)) ? { kind: 'boot', node, time, bootId } : { kind: 'other' };
  if (kind === 'systemd') {
    const unit = fieldText(record.UNIT) ?? fieldText(record._SYSTEMD_UNIT);
    return unitItem(message(record), node, time, unit, bootId) ?? { kind: 'other' };
  }
  const entry = recordToEntry(record, node);
  // An unknown program's line that is not logrus is not the daemon's (a full `journalctl -o json`).
  if (kind === 'other' && entry.raw) return { kind: 'other' };
  return { kind: 'daemon', entry };
}
