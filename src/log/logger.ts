import pino from 'pino';
import { systemClock, type Clock } from '../adapters/clock.js';
import { CODES, type LogCode } from './codes.js';
import { DEFAULT_FLOOD_LIMITS, FloodGate, type FloodLimits, type FloodReport } from './flood.js';
import { LEVELS, type Level } from './levels.js';
import { Redactor } from './redact.js';
import type { LineShipper } from './ship.js';

export type Fields = Record<string, unknown>;

/**
 * The watchdog's logger. Lines at info and above go through `log(code, …)`, so each carries a
 * catalogued code and its level comes from the catalog; debug lines need no code.
 */
export interface Logger {
  log(code: LogCode, msg: string, fields?: Fields): void;
  debug(msg: string, fields?: Fields): void;
  child(bindings: Fields): Logger;
  /** Shared by every child: switching to debug at runtime affects all of them. */
  readonly control: LogControl;
}

export interface LogControl {
  level: Level;
  readonly redactor: Redactor;
  /** A second destination for every written line (UDP syslog/GELF); set with shipTo() from ship.ts. */
  ship?: LineShipper;
  /** Collapses a code that repeats too often (log.floodMax within log.floodWindow); setLimits on reload. */
  readonly flood: FloodGate;
  /** How often each code was logged since the last reset (what happened, whether written or not). */
  counts(): Record<string, number>;
  /** Starts counting again, from `start` (a period restored after a restart) or from zero. */
  resetCounts(start?: Record<string, number>): void;
  /** Sees every coded line (written or not): the status page's grid and timeline notes. Must not throw. */
  listen?: (code: LogCode, msg: string, fields: Fields | undefined, time: number) => void;
  /** Writes out what is buffered, synchronously: before a process.exit(). Never throws. */
  flush(): void;
}

export interface LoggerOptions {
  level?: Level;
  /** Where JSON lines go; stdout by default. Tests pass a stream to read them. */
  destination?: pino.DestinationStream;
  redactor?: Redactor;
  flood?: FloodLimits;
  /** Flood windows' time and the timer that writes their report; the system clock by default. */
  clock?: Clock;
}

type PinoWithLevels = pino.Logger<keyof typeof LEVELS, boolean>;

/** What every child shares with the root. */
interface Shared {
  control: LogControl;
  root?: PinoWithLevels;
  clock: Clock;
  tally: Map<string, number>;
  timer?: { cancel(): void };
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const tally = new Map<string, number>();
  const destination = tee(opts.destination ?? pino.destination({ fd: 1, sync: false }), () => control);
  const control: LogControl = {
    level: opts.level ?? 'info',
    redactor: opts.redactor ?? new Redactor(),
    flood: new FloodGate(opts.flood ?? DEFAULT_FLOOD_LIMITS),
    counts: () => Object.fromEntries(tally),
    resetCounts(start = {}) {
      tally.clear();
      for (const [code, n] of Object.entries(start)) if (n > 0) tally.set(code, n);
    },
    flush() {
      try {
        (destination as { flushSync?: () => void }).flushSync?.();
      } catch {
        // sonic-boom refuses while its fd is not open yet: nothing was written then
      }
    },
  };
  const shared: Shared = { control, clock: opts.clock ?? systemClock, tally };
  const root = pino(
    {
      level: 'debug', // filtering happens in wrap(): one switch for the whole tree of children
      customLevels: LEVELS,
      useOnlyCustomLevels: true,
      base: { service: 'swarm-watchdog' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      hooks: { streamWrite: (line) => control.redactor.redact(line) },
    },
    destination,
  );
  shared.root = root;
  return wrap(root, shared);
}

/** The destination, and the shipper when there is one: it gets the redacted line and can never fail the write. */
function tee(destination: pino.DestinationStream, controlOf: () => LogControl): pino.DestinationStream {
  const out = destination as pino.DestinationStream & { flush?: (cb?: (err?: Error) => void) => void; flushSync?: () => void };
  return {
    write(line: string) {
      out.write(line);
      const ship = controlOf().ship;
      if (!ship) return;
      try {
        ship.ship(line);
      } catch {
        // shipping is best effort: stdout is the log of record
      }
    },
    ...(out.flush ? { flush: (cb?: (err?: Error) => void) => out.flush!(cb) } : {}),
    ...(out.flushSync ? { flushSync: () => out.flushSync!() } : {}),
  } as pino.DestinationStream;
}

function wrap(logger: PinoWithLevels, shared: Shared): Logger {
  const { control } = shared;
  return {
    control,
    log(code, msg, fields) {
      count(shared, code);
      notify(shared, code, msg, fields);
      const level = CODES[code].level;
      if (LEVELS[level] < LEVELS[control.level]) return;
      const { pass, report } = control.flood.admit(code, shared.clock.now());
      if (report) writeReport(shared, report);
      if (!pass) return armTimer(shared);
      logger[level]({ ...fields, code }, msg);
    },
    debug(msg, fields) {
      if (control.level !== 'debug') return;
      logger.debug(fields ?? {}, msg);
    },
    child(bindings) {
      return wrap(logger.child(bindings), shared);
    },
  };
}

function notify(shared: Shared, code: LogCode, msg: string, fields: Fields | undefined): void {
  try {
    shared.control.listen?.(code, msg, fields, shared.clock.now());
  } catch {
    // a listener's bug must never cost a log line
  }
}

function count(shared: Shared, code: string): void {
  shared.tally.set(code, (shared.tally.get(code) ?? 0) + 1);
}

const REPORT_CODE: LogCode = 'WDG-LOG-001';

function writeReport(shared: Shared, r: FloodReport): void {
  count(shared, REPORT_CODE);
  const level = CODES[REPORT_CODE].level;
  if (LEVELS[level] < LEVELS[shared.control.level]) return;
  const seconds = Math.round(r.windowMs / 1000);
  shared.root![level]({ repeatedCode: r.repeatedCode, count: r.count, suppressed: r.suppressed, windowMs: r.windowMs, code: REPORT_CODE }, `${r.repeatedCode} repeated ${r.count} times in ${seconds} s (${r.suppressed} lines not written)`);
}

/** A report is due when its window ends, even if the code is not logged again: one timer for the earliest. */
function armTimer(shared: Shared): void {
  if (shared.timer) return;
  const due = shared.control.flood.nextDue();
  if (due === undefined) return;
  shared.timer = shared.clock.setTimeout(() => {
    shared.timer = undefined;
    for (const r of shared.control.flood.expire(shared.clock.now())) writeReport(shared, r);
    armTimer(shared);
  }, Math.max(1, due - shared.clock.now()));
}

/** A logger that drops everything (pure-core tests, one-shot commands that print instead). */
export function silentLogger(): Logger {
  return createLogger({ destination: { write() {} } as pino.DestinationStream, level: 'critical' });
}
