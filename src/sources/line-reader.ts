// Reads one input line by line, whatever mix of forms it holds: journalctl's text outputs, syslog
// files, dockerd's own text/JSON/terminal lines, `-o json` records, and the multi-line records of
// `-o json-pretty` and `-o export`. Counts what it read, so no input is ever silently empty.
import type { JournalRecord } from '../adapters/journalctl.js';
import type { LineItem } from './line-item.js';
import { recordItem, recordNode } from './journal-record.js';
import { readTextLine, type TextContext } from './text/read-line.js';
import type { Zone } from './text/zone.js';
import { parseJsonObject } from './json-object.js';

export interface InputStats {
  /** The file as given to --input ("-" for standard input). */
  input: string;
  lines: number;
  /** dockerd lines read as logrus (text, JSON or terminal form). */
  daemon: number;
  /** systemd's lines about the Docker unit, and boots (separators, kernel, new boot ids). */
  unit: number;
  boots: number;
  container: number;
  /** Other programs' lines: not the daemon's, not unreadable. */
  other: number;
  unreadable: number;
  /** The first few unreadable lines, cut to 200 characters. */
  unreadableSamples: string[];
  formats: Record<string, number>;
  /** How daemon line times were found: in the line (logrus time=), in the prefix, or with --year/--tz. */
  timeFrom: Record<'line' | 'prefix' | 'assumed', number>;
  firstTime?: number;
  lastTime?: number;
  nodes: string[];
}

export interface ReaderOptions {
  node?: string;
  fallbackNode: string;
  year: number;
  zone: Zone;
}

const SAMPLES = 3;
const MAX_BLOCK_LINES = 2_000; // a json-pretty or export record longer than this is not one
const JOURNAL_KEYS = ['MESSAGE', '__CURSOR', '__REALTIME_TIMESTAMP'];
const EXPORT_FIELD = /^([A-Za-z0-9_]{1,64})=/;
const BINARY_FIELD = /^[A-Z0-9_]{1,64}$/;

export class LineReader {
  readonly stats: InputStats;
  private readonly ctx: TextContext;
  private pretty?: string[];
  private exported?: { record: JournalRecord; lines: number; binary?: string };
  private readonly nodes = new Set<string>();

  constructor(input: string, private readonly options: ReaderOptions) {
    this.ctx = { node: options.node, fallbackNode: options.fallbackNode, year: options.year, zone: options.zone };
    this.stats = { input, lines: 0, daemon: 0, unit: 0, boots: 0, container: 0, other: 0, unreadable: 0, unreadableSamples: [], formats: {}, timeFrom: { line: 0, prefix: 0, assumed: 0 }, nodes: [] };
  }

  /** One physical line → the items it completes (none while inside a multi-line record). */
  push(line: string): LineItem[] {
    if (this.exported) return this.exportLine(line);
    if (this.pretty) return this.prettyLine(line);
    if (!line.trim()) return [];
    this.stats.lines++;
    if (line === '{') {
      this.pretty = [line];
      return [];
    }
    if (line.startsWith('__CURSOR=')) {
      this.stats.lines--; // counted again as the record's first line
      this.exported = { record: {}, lines: 0 };
      return this.exportLine(line);
    }
    if (line.charCodeAt(0) === 123) {
      const record = journalRecord(line);
      if (record) return [this.count(recordItem(record, this.options.node ?? recordNode(record)), 'json', line)];
    }
    const read = readTextLine(line, this.ctx);
    if (read.timeFrom && read.item.kind === 'daemon' && !read.item.entry.raw) this.stats.timeFrom[read.timeFrom]++;
    return [this.count(read.item, read.format, line)];
  }

  /** The end of the input: an unfinished multi-line record is unreadable. */
  end(): LineItem[] {
    if (this.exported) return this.finishExport();
    if (this.pretty) {
      const text = this.pretty.join('\n');
      this.pretty = undefined;
      return [this.count({ kind: 'unreadable', line: text }, 'json-pretty', text)];
    }
    return [];
  }

  private prettyLine(line: string): LineItem[] {
    const block = this.pretty!;
    block.push(line);
    this.stats.lines++;
    if (line !== '}' && block.length < MAX_BLOCK_LINES) return [];
    this.pretty = undefined;
    const text = block.join('\n');
    const record = line === '}' ? journalRecord(text) : undefined;
    if (!record) return [this.count({ kind: 'unreadable', line: text }, 'json-pretty', text)];
    return [this.count(recordItem(record, this.options.node ?? recordNode(record)), 'json-pretty', text)];
  }

  private exportLine(line: string): LineItem[] {
    const ex = this.exported!;
    if (line === '') return this.finishExport();
    this.stats.lines++;
    ex.lines++;
    if (ex.binary !== undefined) {
      // a binary field's value follows its name: 8 bytes of little-endian length, then the bytes
      ex.record[ex.binary] = line.slice(8);
      ex.binary = undefined;
    } else {
      const m = EXPORT_FIELD.exec(line);
      if (m) ex.record[m[1]] = line.slice(m[0].length);
      else if (BINARY_FIELD.test(line)) ex.binary = line;
    }
    return ex.lines >= MAX_BLOCK_LINES ? this.finishExport() : [];
  }

  private finishExport(): LineItem[] {
    const { record } = this.exported!;
    this.exported = undefined;
    return [this.count(recordItem(record, this.options.node ?? recordNode(record)), 'export', String(record.MESSAGE ?? ''))];
  }

  private count(item: LineItem, format: string, line: string): LineItem {
    const s = this.stats;
    s.formats[format] = (s.formats[format] ?? 0) + 1;
    switch (item.kind) {
      case 'daemon':
        if (item.entry.raw) this.unreadable(line);
        else {
          s.daemon++;
          if (item.entry.time > 0) {
            s.firstTime = Math.min(s.firstTime ?? Infinity, item.entry.time);
            s.lastTime = Math.max(s.lastTime ?? -Infinity, item.entry.time);
          }
        }
        this.seen(item.entry.node, item.entry.time);
        break;
      case 'unit':
        s.unit++;
        this.seen(item.entry.node, item.entry.time);
        break;
      case 'container':
        s.container++;
        this.seen(item.node, item.time);
        break;
      case 'boot':
        s.boots++;
        break;
      case 'other':
        s.other++;
        break;
      case 'unreadable':
        this.unreadable(line);
    }
    return item;
  }

  private seen(node: string, time: number): void {
    this.ctx.lastNode = node;
    if (time > 0) this.ctx.lastTime = time;
    if (!this.nodes.has(node)) {
      this.nodes.add(node);
      this.stats.nodes.push(node);
    }
  }

  private unreadable(line: string): void {
    this.stats.unreadable++;
    if (this.stats.unreadableSamples.length < SAMPLES) this.stats.unreadableSamples.push(line.length > 200 ? `${line.slice(0, 200)}…` : line);
  }
}

/** A journal record (`-o json`, `-o json-pretty`), or undefined for anything else (dockerd's own JSON lines). */
function journalRecord(text: string): JournalRecord | undefined {
  const doc = parseJsonObject(text);
  return doc && JOURNAL_KEYS.some((k) => k in doc) ? (doc as JournalRecord) : undefined;
}
