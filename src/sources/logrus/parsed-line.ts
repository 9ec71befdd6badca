// The shape every line parser returns, and the helpers they share.
import type { DaemonLevel } from '../entry.js';
import { parseIsoTime } from './iso-time.js';

export interface ParsedLine {
  /** Milliseconds since the epoch, sub-millisecond part as a fraction. */
  time?: number;
  level: DaemonLevel;
  msg: string;
  /** Every other key=value field (error, module, node.id, backoff …). */
  fields: Record<string, string>;
  /** Set when the line was neither logrus text nor JSON: msg holds the line. */
  raw?: true;
}

// logrus level names, and the 4-letter forms of its terminal output (a Map: no prototype keys).
const LEVELS = new Map<string, DaemonLevel>([
  ['debug', 'debug'], ['trace', 'debug'], ['info', 'info'], ['warning', 'warning'], ['warn', 'warning'],
  ['error', 'error'], ['fatal', 'fatal'], ['panic', 'panic'],
  ['DEBU', 'debug'], ['TRAC', 'debug'], ['INFO', 'info'], ['WARN', 'warning'], ['ERRO', 'error'],
  ['FATA', 'fatal'], ['PANI', 'panic'],
]);

export function normalizeLevel(text: string | undefined): DaemonLevel {
  if (text === undefined) return 'unknown';
  return LEVELS.get(text) ?? (text.length <= 7 ? LEVELS.get(text.toLowerCase()) : undefined) ?? 'unknown';
}

/** The raw form: what the line is when it is not a logrus line. */
export function rawLine(line: string): ParsedLine {
  return { level: 'unknown', msg: line, fields: {}, raw: true };
}

/** Splits the logrus fields into time, level, msg and the rest. Undefined unless level or msg is there. */
export function fromFields(all: Record<string, string>): ParsedLine | undefined {
  const { time, level, msg, ...fields } = all;
  if (level === undefined && msg === undefined) return undefined;
  const parsed: ParsedLine = { level: normalizeLevel(level), msg: msg ?? '', fields };
  if (time !== undefined) {
    const ms = parseIsoTime(time);
    if (ms !== undefined) parsed.time = ms;
  }
  return parsed;
}
