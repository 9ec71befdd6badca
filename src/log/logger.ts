import pino from 'pino';
import { CODES, type LogCode } from './codes.js';
import { LEVELS, type Level } from './levels.js';
import { Redactor } from './redact.js';

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
}

export interface LoggerOptions {
  level?: Level;
  /** Where JSON lines go; stdout by default. Tests pass a stream to read them. */
  destination?: pino.DestinationStream;
  redactor?: Redactor;
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const control: LogControl = { level: opts.level ?? 'info', redactor: opts.redactor ?? new Redactor() };
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
    opts.destination ?? pino.destination({ fd: 1, sync: false }),
  );
  return wrap(root, control);
}

type PinoWithLevels = pino.Logger<keyof typeof LEVELS, boolean>;

function wrap(logger: PinoWithLevels, control: LogControl): Logger {
  return {
    control,
    log(code, msg, fields) {
      const level = CODES[code].level;
      if (LEVELS[level] < LEVELS[control.level]) return;
      logger[level]({ ...fields, code }, msg);
    },
    debug(msg, fields) {
      if (control.level !== 'debug') return;
      logger.debug(fields ?? {}, msg);
    },
    child(bindings) {
      return wrap(logger.child(bindings), control);
    },
  };
}

/** A logger that drops everything (pure-core tests, one-shot commands that print instead). */
export function silentLogger(): Logger {
  return createLogger({ destination: { write() {} } as pino.DestinationStream, level: 'critical' });
}
