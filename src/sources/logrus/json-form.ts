// The daemon's `--log-format json` lines (logrus JSONFormatter): {"level":…,"msg":…,"time":…, fields…}.
// Field values that are not strings (a Duration is a number of nanoseconds there) become text.
import { fromFields, type ParsedLine } from './parsed-line.js';

function asText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export function parseJsonLine(text: string): ParsedLine | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return undefined;
  const all: Record<string, string> = {};
  for (const [k, v] of Object.entries(doc)) {
    if (k !== '__proto__') all[k] = asText(v);
  }
  if (typeof (doc as Record<string, unknown>).level !== 'string' && typeof (doc as Record<string, unknown>).msg !== 'string') {
    return undefined;
  }
  return fromFields(all);
}
