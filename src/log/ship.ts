// A second, best-effort log destination over UDP: syslog (RFC 5424) or GELF. We would rather lose log
// lines than break the product: nothing here blocks or throws into the logger; what cannot be sent
// (name not resolved yet or at all, socket backed up, receiver gone) is dropped and counted.
import dgram from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { hostname as osHostname } from 'node:os';
import type { LogControl, Logger } from './logger.js';

export interface ShipTarget {
  protocol: 'syslog' | 'gelf';
  host: string;
  port: number;
}

/** What the logger hands every written (already redacted) JSON line to. */
export interface LineShipper {
  ship(line: string): void;
  close(): void;
}

export interface ShipperOptions {
  /** HOSTNAME (syslog) and host (GELF); the OS hostname by default. */
  hostname?: string;
  /** Datagrams given to the socket and not yet sent, and lines waiting for the address; past it lines drop. */
  maxInFlight?: number;
  /** Called for every line that was not shipped (the agent counts them in a metric). */
  onDrop?: () => void;
  /** Called once per failed name lookup (the agent logs WDG-LOG-003). */
  onLookupFailed?: (err: Error) => void;
  resolve?: (host: string) => Promise<{ address: string; family: number }>;
  /** After a failed lookup, lines drop until this much later, when the name is looked up again. */
  retryLookupMs?: number;
  now?: () => number;
}

const SEVERITY: Record<string, number> = { critical: 2, error: 3, warning: 4, info: 6, debug: 7 };
const FACILITY_DAEMON = 3;
/** GELF without chunking, and what rsyslog and syslog-ng accept by default over UDP. */
export const MAX_DATAGRAM = 8000;
const MAX_FIELD = 1000; // a value cut to this when a GELF message is too big
const APP_NAME = 'swarm-watchdog';

type Line = Record<string, unknown>;

function parse(line: string): Line {
  try {
    const value = JSON.parse(line) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Line;
  } catch {
    // not JSON: shipped as the message
  }
  return { msg: line.trim() };
}

const severityOf = (rec: Line) => SEVERITY[String(rec.level)] ?? 6;
const codeOf = (rec: Line) => (typeof rec.code === 'string' && /^[\x21-\x7e]{1,32}$/.test(rec.code) ? rec.code : undefined);
const printable = (text: string, max: number) => text.replace(/[^\x21-\x7e]/g, '_').slice(0, max) || '-';

/** The longest prefix of `text` whose UTF-8 form fits in `max` bytes, never cutting a character. */
export function utf8Prefix(text: string, max: number): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= max) return bytes;
  let end = max;
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--; // step back to the start of a character
  return bytes.subarray(0, end);
}

/** `<PRI>1 TIMESTAMP HOSTNAME swarm-watchdog PROCID MSGID - MSG`, facility daemon, MSG the JSON line. */
export function syslogDatagram(line: string, host: string, pid: number): Buffer {
  const rec = parse(line);
  const pri = FACILITY_DAEMON * 8 + severityOf(rec);
  const time = typeof rec.time === 'string' && !Number.isNaN(Date.parse(rec.time)) ? rec.time : new Date().toISOString();
  const head = `<${pri}>1 ${time} ${printable(host, 255)} ${APP_NAME} ${pid} ${codeOf(rec) ?? '-'} - `;
  return utf8Prefix(head + line.replace(/\n+$/, ''), MAX_DATAGRAM);
}

function gelfValue(value: unknown): string | number | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

const GELF_OWN = new Set(['msg', 'time', 'level', 'code']);

/** GELF 1.1: the line's fields become additional fields (`_name`); one datagram, cut to fit. */
export function gelfDatagram(line: string, host: string): Buffer {
  const rec = parse(line);
  const ms = typeof rec.time === 'string' ? Date.parse(rec.time) : NaN;
  const code = codeOf(rec);
  const base: Line = {
    version: '1.1',
    host: host || '-',
    short_message: (typeof rec.msg === 'string' && rec.msg) || code || '-',
    timestamp: (Number.isNaN(ms) ? Date.now() : ms) / 1000,
    level: severityOf(rec),
    ...(code ? { _code: code } : {}),
  };
  const extra: Line = {};
  for (const [key, value] of Object.entries(rec)) {
    const v = gelfValue(value);
    if (GELF_OWN.has(key) || v === undefined) continue;
    let name = `_${key.replace(/[^\w.-]/g, '_')}`;
    if (name === '_id') name = '_id_'; // GELF reserves _id
    extra[name] = v;
  }
  const full = Buffer.from(JSON.stringify({ ...base, ...extra }));
  if (full.length <= MAX_DATAGRAM) return full;
  const cut = (v: unknown) => (typeof v === 'string' && v.length > MAX_FIELD ? `${v.slice(0, MAX_FIELD)}…` : v);
  const shorter = Object.fromEntries(Object.entries({ ...base, ...extra, _truncated: 1 }).map(([k, v]) => [k, cut(v)]));
  const trimmed = Buffer.from(JSON.stringify(shorter));
  if (trimmed.length <= MAX_DATAGRAM) return trimmed;
  return Buffer.from(JSON.stringify({ ...base, short_message: cut(base.short_message), _truncated: 1 }));
}

export function formatDatagram(protocol: ShipTarget['protocol'], line: string, host: string, pid = process.pid): Buffer {
  return protocol === 'gelf' ? gelfDatagram(line, host) : syslogDatagram(line, host, pid);
}

type State = 'resolving' | 'connecting' | 'ready' | 'failed' | 'closed';

/**
 * Ships lines to one UDP receiver. The name is looked up once (again only after a failure), the socket
 * is connected so a receiver that is gone shows up as ICMP errors (counted as drops), and unref'd so it
 * never keeps the process alive.
 */
export class UdpShipper implements LineShipper {
  dropped = 0;
  private state: State = 'resolving';
  private socket?: dgram.Socket;
  private pending: Buffer[] = [];
  private inFlight = 0;
  private retryAt = 0;
  private readonly host: string;
  private readonly max: number;

  constructor(
    readonly target: ShipTarget,
    private readonly opts: ShipperOptions = {},
  ) {
    this.host = opts.hostname ?? osHostname();
    this.max = opts.maxInFlight ?? 256;
    this.resolve();
  }

  ship(line: string): void {
    if (this.state === 'closed') return;
    let datagram: Buffer;
    try {
      datagram = formatDatagram(this.target.protocol, line, this.host);
    } catch {
      return this.drop();
    }
    if (this.state === 'failed' && this.now() >= this.retryAt) this.resolve();
    if (this.state === 'ready') return this.send(datagram);
    if (this.state === 'failed' || this.pending.length >= this.max) return this.drop();
    this.pending.push(datagram); // the name or the socket is not ready yet: the first lines wait
  }

  close(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.dropAll();
    this.closeSocket();
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  private resolve(): void {
    this.state = 'resolving';
    const { host } = this.target;
    const family = isIP(host);
    const found = family ? Promise.resolve({ address: host, family }) : (this.opts.resolve ?? ((h: string) => lookup(h)))(host);
    found.then(
      ({ address, family: f }) => this.connect(address, f),
      (err: Error) => {
        if (this.state === 'closed') return;
        this.fail();
        try {
          this.opts.onLookupFailed?.(err);
        } catch {
          // a listener's error must not escape into a promise nobody handles
        }
      },
    );
  }

  private connect(address: string, family: number): void {
    if (this.state === 'closed') return;
    this.state = 'connecting';
    const socket = dgram.createSocket(family === 6 ? 'udp6' : 'udp4');
    this.socket = socket;
    socket.on('error', () => {
      // A connect failure; or an ICMP "port unreachable" for an earlier datagram, reported on the socket.
      if (this.state === 'connecting' && this.socket === socket) this.fail();
      else this.drop();
    });
    socket.unref();
    try {
      socket.connect(this.target.port, address, () => {
        if (this.state !== 'connecting' || this.socket !== socket) return;
        this.state = 'ready';
        const waiting = this.pending;
        this.pending = [];
        for (const d of waiting) this.send(d);
      });
    } catch {
      this.fail();
    }
  }

  private send(datagram: Buffer): void {
    if (this.inFlight >= this.max || !this.socket) return this.drop();
    this.inFlight++;
    try {
      this.socket.send(datagram, (err) => {
        this.inFlight--;
        if (err) this.drop();
      });
    } catch {
      this.inFlight--;
      this.drop();
    }
  }

  private fail(): void {
    this.state = 'failed';
    this.retryAt = this.now() + (this.opts.retryLookupMs ?? 30_000);
    this.dropAll();
    this.closeSocket();
  }

  private closeSocket(): void {
    try {
      this.socket?.close();
    } catch {
      // already closed
    }
    this.socket = undefined;
  }

  private dropAll(): void {
    const n = this.pending.length;
    this.pending = [];
    for (let i = 0; i < n; i++) this.drop();
  }

  private drop(): void {
    this.dropped++;
    try {
      this.opts.onDrop?.();
    } catch {
      // counting must not break logging
    }
  }
}

/**
 * Starts, changes or stops shipping for a logger (on start and on each applied config reload): the
 * old shipper is closed and the new one looks the name up once.
 */
export function shipTo(log: Logger, target: ShipTarget | undefined, opts: Omit<ShipperOptions, 'onLookupFailed'> = {}): void {
  const control: LogControl = log.control;
  const old = control.ship;
  control.ship = target
    ? new UdpShipper(target, {
        ...opts,
        onLookupFailed: (err) => log.log('WDG-LOG-003', `log shipping: cannot resolve ${target.host}: ${err.message}; lines are dropped until it resolves`, { host: target.host, port: target.port }),
      })
    : undefined;
  old?.close();
  if (target) log.log('WDG-LOG-002', `shipping log lines to ${target.host}:${target.port} over UDP (${target.protocol})`, { ...target });
  else if (old) log.log('WDG-LOG-002', 'log shipping stopped', { protocol: null });
}
