// The daemon's `--log-format json` lines (logrus JSONFormatter): {"level":…,"msg":…,"time":…, fields…}.
// Field values that are not strings (a Duration is a number of nanoseconds there) become text.
import { parseJsonObject } from '../json-object.js';
import { fromFields, type ParsedLine } from './parsed-line.js';

function asText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export function parseJsonLine(text: string): ParsedLine | undefined {
  const doc = parseJsonObject(text);
  if (!doc) return undefined;
  const all: Record<string, string> = {};
  for (const [k, v] of Object.entries(doc)) {
    if (k !== '__proto__') all[k] = asText(v);
  }
  if (typeof doc.level !== 'string' && typeof doc.msg !== 'string') return undefined;
  return fromFields(all);
}
