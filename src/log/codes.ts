// The catalog of the watchdog's own log codes. One code, one meaning, forever: never reuse a code.
// docs/log-codes.md is generated from this file (`npm run docs:codes`); a test keeps them equal and
// checks that every code logged in src/ is here and every code here is logged somewhere.
import type { Level } from './levels.js';

export interface CodeInfo {
  level: Level;
  meaning: string;
  action: string;
}

export const CODES = {
  'WDG-CLI-001': { level: 'critical', meaning: 'An internal error (a bug in the watchdog) stopped a command or the agent.', action: 'Report it with the log line and `watchdog snapshot` output; the agent is restarted by Swarm.' },
  'WDG-CONFIG-001': { level: 'info', meaning: 'Configuration loaded and valid.', action: 'None.' },
  'WDG-CONFIG-002': { level: 'error', meaning: 'Configuration is invalid; each problem is listed as `path: message (fix)`.', action: 'Fix the config file, environment variable or secret named in the message.' },
} as const satisfies Record<string, CodeInfo>;

export type LogCode = keyof typeof CODES;

export const CODE_PATTERN = /WDG-[A-Z]+-\d{3}/g;
