// One text line of any known form → a LineItem. Decides per line, never per file: one odd or cut
// line cannot switch a whole file to another mode. Pure.
import { parseLogrusLine } from '../logrus/parse.js';
import type { DaemonEntry } from '../entry.js';
import type { LineItem } from '../line-item.js';
import { classifyProgram, isAboutDocker, unitItem } from './programs.js';
import { parsePrefix, type Prefix, type TextFormat } from './prefix.js';
import type { Zone } from './zone.js';

export interface TextContext {
  /** NODE= of --input: every line is this node's. */
  node?: string;
  /** The node when neither NODE= nor the line names one (the file's name). */
  fallbackNode: string;
  year: number;
  zone: Zone;
  /** Node and time of the previous dated line: a journalctl separator or an undated line takes them. */
  lastNode?: string;
  lastTime?: number;
}

export interface TextRead {
  item: LineItem;
  format: TextFormat | 'journal-separator';
  /** Where the time came from: the logrus time= in the line, the prefix's full date, the prefix completed with --year/--tz. */
  timeFrom?: 'line' | 'prefix' | 'assumed';
}

const SEPARATOR = /^-- (?:Reboot|Boot ([0-9a-f]{32})) --$/;
const KERNEL_BOOT = /^(?:\[\s*\d+\.\d+\] )?Linux version \d/;
const CONTAINER_TAG = /^[0-9a-f]{12}$/; // the journald and syslog log drivers' default tag: the short container id

function nodeOf(ctx: TextContext, prefix: Prefix | undefined): string {
  if (ctx.node) return ctx.node;
  const lab = prefix?.ident ? /^dockerd-(.+)$/.exec(prefix.ident) : null;
  return lab?.[1] ?? prefix?.host ?? ctx.fallbackNode;
}

function prefixTime(prefix: Prefix | undefined, ctx: TextContext): { time?: number; assumed: boolean } {
  if (prefix?.time !== undefined) return { time: prefix.time, assumed: false };
  if (prefix?.wall) return { time: ctx.zone.toUtc(prefix.wall, ctx.year), assumed: true };
  return { assumed: false };
}

function daemonRead(message: string, node: string, prefix: Prefix | undefined, ctx: TextContext): TextRead {
  const parsed = parseLogrusLine(message);
  const fromPrefix = prefixTime(prefix, ctx);
  const time = parsed.time ?? fromPrefix.time ?? ctx.lastTime ?? 0;
  const entry: DaemonEntry = { node, time, level: parsed.level, msg: parsed.msg, fields: parsed.fields, ...(parsed.raw ? { raw: true } : {}) };
  const timeFrom = parsed.time !== undefined ? 'line' : fromPrefix.time !== undefined ? (fromPrefix.assumed ? 'assumed' : 'prefix') : undefined;
  return { item: { kind: 'daemon', entry }, format: prefix?.format ?? 'plain', timeFrom };
}

/** A line without a prefix that is not logrus: systemd's or the kernel's words in a `-o cat` export, else unreadable. */
function bareLine(line: string, ctx: TextContext, read: TextRead): TextRead {
  if (read.item.kind !== 'daemon' || !read.item.entry.raw) return read;
  const node = ctx.node ?? ctx.lastNode ?? ctx.fallbackNode;
  const time = ctx.lastTime ?? 0;
  if (isAboutDocker(line)) return { item: unitItem(line, node, time, undefined)!, format: 'plain' };
  if (KERNEL_BOOT.test(line)) return { item: { kind: 'boot', node, time }, format: 'plain' };
  return { item: { kind: 'unreadable', line }, format: 'plain' };
}

export function readTextLine(line: string, ctx: TextContext): TextRead {
  if (line.startsWith('-- ')) {
    const sep = SEPARATOR.exec(line);
    if (sep) return { item: { kind: 'boot', node: ctx.node ?? ctx.lastNode ?? ctx.fallbackNode, time: ctx.lastTime ?? 0, bootId: sep[1] }, format: 'journal-separator' };
    if (line.endsWith(' --') || line.startsWith('-- cursor: ')) return { item: { kind: 'other' }, format: 'journal-separator' }; // -- No entries --, -- Journal begins at … --
  }
  const prefix = parsePrefix(line);
  if (!prefix) return bareLine(line, ctx, daemonRead(line, nodeOf(ctx, undefined), undefined, ctx));
  const node = nodeOf(ctx, prefix);
  const program = classifyProgram(prefix.ident);
  if (program === 'docker') {
    const read = daemonRead(prefix.message, node, prefix, ctx);
    // a syslog line without a tag is the daemon's only when it reads as logrus
    if (prefix.ident === undefined && read.item.kind === 'daemon' && read.item.entry.raw) return { item: { kind: 'other' }, format: prefix.format };
    return read;
  }
  const { time = ctx.lastTime ?? 0 } = prefixTime(prefix, ctx);
  if (program === 'systemd') return { item: unitItem(prefix.message, node, time, undefined) ?? { kind: 'other' }, format: prefix.format };
  if (program === 'kernel') return { item: KERNEL_BOOT.test(prefix.message) ? { kind: 'boot', node, time } : { kind: 'other' }, format: prefix.format };
  if (CONTAINER_TAG.test(prefix.ident!)) return { item: { kind: 'container', node, time, service: prefix.ident!, taskId: prefix.ident!, message: prefix.message }, format: prefix.format };
  return { item: { kind: 'other' }, format: prefix.format };
}
