// The one entry point for a daemon log line, whatever its shape (see parse-logrus.ts).
export { parseLogrusLine as parseDaemonLine, parseLogrusLine } from './parse-logrus.js';
export type { ParsedLine } from './parsed-line.js';
