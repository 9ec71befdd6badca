// The few error classes the CLI maps to exit codes, once, at the top (cli/main.ts).
export const EXIT = { ok: 0, internal: 1, usage: 2, data: 65, unavailable: 69, incomplete: 75, config: 78 } as const;

/** An error the operator can act on; carries its exit code and, where known, a log code. */
export class ExitError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
    readonly code?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class UsageError extends ExitError {
  constructor(message: string) {
    super(message, EXIT.usage);
  }
}

/** An input file's content is not what the command reads (sysexits EX_DATAERR); the message names file and line. */
export class DataError extends ExitError {
  constructor(message: string, code?: string) {
    super(message, EXIT.data, code);
  }
}

/** The configuration (file, environment, secret files) is wrong. `problems` are `path: message (fix)` lines. */
export class ConfigError extends ExitError {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'), EXIT.config, 'WDG-CONFIG-002');
  }
}

/** A required service (Docker API, journal) cannot be used. */
export class UnavailableError extends ExitError {
  constructor(message: string, code?: string) {
    super(message, EXIT.unavailable, code);
  }
}

