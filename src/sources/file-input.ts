import { basename } from 'node:path';
import { parseDaemonLine } from '../detect/parse-line.js';
import type { DaemonEntry } from '../detect/types.js';
import { DataError, UsageError } from '../errors.js';
import { fieldText, recordNode, recordToEntry, type JournalRecord } from './journal-record.js';
import { readLines } from './read-lines.js';

export interface InputSpec {
  node?: string;
  file: string;
}

/** `--input [NODE=]FILE` → {node, file}. */
export function parseInputSpec(spec: string): InputSpec {
  const m = /^([A-Za-z0-9][A-Za-z0-9_.-]*)=(.+)$/.exec(spec);
  if (!spec) throw new UsageError('--input needs a file: --input [NODE=]FILE');
  return m ? { node: m[1], file: m[2] } : { file: spec };
}

export type InputFormat = 'journal-json' | 'daemon-text';

export function detectFormat(firstLine: string): InputFormat {
  const line = firstLine.trim();
  if (line.startsWith('{')) {
    try {
      const obj = JSON.parse(line) as Record<string, unknown>;
      if ('__CURSOR' in obj || 'MESSAGE' in obj || '__REALTIME_TIMESTAMP' in obj) return 'journal-json';
    } catch {
      // not JSON after all: a text line that starts with a brace
    }
  }
  return 'daemon-text'; // logrus text, or the daemon's own JSON log format (the line parser handles both)
}

/** What a file contributes: daemon entries, and journal records of containers (application logs). */
export interface FileItem {
  entry?: DaemonEntry;
  container?: JournalRecord;
}

/** Streams a daemon log file (logrus text or JSON lines) or a `journalctl -o json` export, in file order. */
export async function* readInput(spec: InputSpec): AsyncGenerator<FileItem> {
  const fallbackNode = spec.node ?? basename(spec.file).split('.')[0];
  let format: InputFormat | undefined;
  for await (const { text: line, no } of readLines('--input', spec.file)) {
    if (!line.trim()) continue;
    format ??= detectFormat(line);
    if (format === 'daemon-text') {
      const parsed = parseDaemonLine(line);
      yield { entry: { node: fallbackNode, time: parsed.time ?? 0, level: parsed.level, msg: parsed.msg, fields: parsed.fields, ...(parsed.raw ? { raw: true } : {}) } };
      continue;
    }
    let record: JournalRecord;
    try {
      record = JSON.parse(line) as JournalRecord;
    } catch {
      continue; // a broken line in an export: skip it, keep the rest
    }
    if (typeof record !== 'object' || record === null || Array.isArray(record)) continue; // not a record: nothing to read
    const deep = Object.keys(record).find((k) => nestedTooDeep(record[k]));
    if (deep) throw new DataError(`--input ${spec.file} line ${no}: field ${deep.slice(0, 64)} is nested deeper than journalctl -o json writes (arrays of values or of bytes); is this a journal export?`);
    if (fieldText(record.CONTAINER_ID) || fieldText(record.CONTAINER_NAME)) {
      yield { container: record };
    } else {
      yield { entry: recordToEntry(record, spec.node ?? recordNode(record, undefined)) };
    }
  }
}

/** journalctl writes a field as a string, an array of bytes, or an array of those: never deeper. */
function nestedTooDeep(value: unknown, depth = 0): boolean {
  return Array.isArray(value) && (depth >= 2 || value.some((v) => nestedTooDeep(v, depth + 1)));
}
