// The prefix journalctl's text outputs and syslog files put before a program's message:
//   short / RFC 3164      Nov 22 01:47:17 node2 dockerd[1002]: …
//   short-precise         Nov 22 01:47:17.123456 node2 dockerd[1002]: …
//   short-iso(-precise)   2026-11-22T01:47:17(.123456)+0000 node2 dockerd[1002]: …  (rsyslog's RFC 3339 files too)
//   short-full, with-unit Sun 2026-11-22 01:47:17 UTC node2 dockerd[1002]: …
//   short-unix            1795311437.123456 node2 dockerd[1002]: …
//   RFC 5424 (rsyslog)    <30>1 2026-11-22T01:47:17.123456+00:00 node2 dockerd 1002 - - …
// Hostname and pid are optional. Pure; every pattern is anchored and bounded (linear in the line).

export type TextFormat = 'short' | 'short-precise' | 'short-iso' | 'short-iso-precise' | 'short-full' | 'short-unix' | 'rfc5424' | 'plain';

/** A wall-clock time without a year and/or zone: completed by the reader's --year/--tz. */
export interface WallTime {
  year?: number;
  month: number;
  day: number;
  h: number;
  m: number;
  s: number;
  frac: number;
}

export interface Prefix {
  format: TextFormat;
  /** ms since the epoch, when the prefix gives date and zone. */
  time?: number;
  /** otherwise the wall time it gives. */
  wall?: WallTime;
  host?: string;
  ident?: string;
  pid?: string;
  message: string;
}

const MONTHS = new Map(['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'].map((m, i) => [m, i + 1]));
const SHORT = /^([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d\d):(\d\d):(\d\d)(\.\d{1,9})? /;
const ISO = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d{1,9})?(Z|[+-]\d\d:?\d\d) /;
const FULL = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(\.\d{1,9})? ([A-Za-z][A-Za-z0-9+/_-]{0,31}|[+-]\d\d:?\d\d) /;
const UNIX = /^(\d{9,11})\.(\d{1,9}) /;
const PRI = /^<(\d{1,3})>/;
const RFC5424 = /^1 (\S{1,64}) (\S{1,255}) (\S{1,48}) (\S{1,128}) (\S{1,32}) /;
// ident[pid]: with the colon (RFC 3164 TAG); idents never hold spaces or brackets
const TAG = /^([^\s[\]]{1,128}?)(?:\[(\d{1,10})\])?:$/;

const frac = (f: string | undefined): number => (f ? Number(`0${f}`) * 1000 : 0);

export function offsetMinutes(zone: string): number | undefined {
  if (zone === 'Z' || zone === 'UTC' || zone === 'GMT' || zone === 'UT') return 0;
  const m = /^([+-])(\d\d):?(\d\d)$/.exec(zone);
  return m ? (m[1] === '+' ? 1 : -1) * (Number(m[2]) * 60 + Number(m[3])) : undefined;
}

function utc(y: number, mo: number, d: number, h: number, mi: number, s: number, f: number, offset: number): number {
  return Date.UTC(y, mo - 1, d, h, mi, s) + f - offset * 60_000;
}

/** host? ident[pid]: message — or, with no tag, host and message. */
function program(rest: string, format: TextFormat, when: Pick<Prefix, 'time' | 'wall'>): Prefix {
  const sp = rest.indexOf(' ');
  const first = sp < 0 ? rest : rest.slice(0, sp);
  let tag = TAG.exec(first);
  if (tag) return { format, ...when, ident: tag[1], pid: tag[2], message: sp < 0 ? '' : rest.slice(sp + 1) };
  const after = sp < 0 ? '' : rest.slice(sp + 1);
  const sp2 = after.indexOf(' ');
  tag = TAG.exec(sp2 < 0 ? after : after.slice(0, sp2));
  if (tag) return { format, ...when, host: first, ident: tag[1], pid: tag[2], message: sp2 < 0 ? '' : after.slice(sp2 + 1) };
  return { format, ...when, host: first, message: after };
}

/** Skips RFC 5424 structured data ("-" or [id k="v" …]…, values may hold "\]"); returns the message's start. */
function skipStructuredData(s: string, at: number): number {
  if (s.startsWith('-', at)) return s.charCodeAt(at + 1) === 32 ? at + 2 : at + 1;
  let i = at;
  while (s.charCodeAt(i) === 91 /* [ */) {
    let quoted = false;
    for (i++; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === 92 /* \ */) i++;
      else if (c === 34) quoted = !quoted;
      else if (c === 93 && !quoted) break;
    }
    i++;
  }
  return s.charCodeAt(i) === 32 ? i + 1 : i;
}

function rfc5424(body: string): Prefix | undefined {
  const m = RFC5424.exec(body);
  if (!m) return undefined;
  let rest = body.slice(skipStructuredData(body, m[0].length));
  if (rest.startsWith('\uFEFF')) rest = rest.slice(1); // RFC 5424's BOM before a UTF-8 message
  const iso = ISO.exec(`${m[1]} `);
  const time = iso ? utc(+iso[1], +iso[2], +iso[3], +iso[4], +iso[5], +iso[6], frac(iso[7]), offsetMinutes(iso[8])!) : undefined;
  const dash = (v: string) => (v === '-' ? undefined : v);
  return { format: 'rfc5424', time, host: dash(m[2]), ident: dash(m[3]), pid: dash(m[4]), message: rest };
}

/** The prefix of a text line, or undefined when it has none (a `-o cat` line, dockerd's own file). */
export function parsePrefix(line: string): Prefix | undefined {
  let body = line;
  const pri = PRI.exec(line);
  if (pri) {
    body = line.slice(pri[0].length);
    if (body.startsWith('1 ')) return rfc5424(body);
  }
  const c = body.charCodeAt(0);
  if (c >= 48 && c <= 57) {
    let m = ISO.exec(body);
    if (m) {
      const time = utc(+m[1], +m[2], +m[3], +m[4], +m[5], +m[6], frac(m[7]), offsetMinutes(m[8])!);
      return program(body.slice(m[0].length), m[7] ? 'short-iso-precise' : 'short-iso', { time });
    }
    m = UNIX.exec(body);
    if (m) return program(body.slice(m[0].length), 'short-unix', { time: Number(`${m[1]}.${m[2]}`) * 1000 });
    return undefined;
  }
  let m = SHORT.exec(body);
  if (m && MONTHS.has(m[1])) {
    const wall: WallTime = { month: MONTHS.get(m[1])!, day: +m[2], h: +m[3], m: +m[4], s: +m[5], frac: frac(m[6]) };
    return program(body.slice(m[0].length), m[6] ? 'short-precise' : 'short', { wall });
  }
  m = FULL.exec(body);
  if (m) {
    const offset = offsetMinutes(m[8]);
    const parts = [+m[1], +m[2], +m[3], +m[4], +m[5], +m[6], frac(m[7])] as const;
    const when = offset !== undefined ? { time: utc(...parts, offset) } : { wall: { year: parts[0], month: parts[1], day: parts[2], h: parts[3], m: parts[4], s: parts[5], frac: parts[6] } };
    return program(body.slice(m[0].length), 'short-full', when);
  }
  return undefined;
}
