import type { Config } from './schema.js';

/**
 * Fields the agent reads once, at start: a reload cannot apply them (a new listener, Docker client or
 * state directory would be a new agent). Everything else is applied live.
 */
export const RESTART_FIELDS = [
  'node',
  'stateDir',
  'docker.socket',
  'docker.timeout',
  'journal.cursorFlush',
  'appLogs.dockerApi',
  'peers.service',
  'http.listen',
  'http.port',
] as const;

function at(config: Config, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], config);
}

/** The restart-only fields whose value in `next` differs from the running one. */
export function restartNeeded(running: Config, next: Config): string[] {
  return RESTART_FIELDS.filter((p) => JSON.stringify(at(running, p)) !== JSON.stringify(at(next, p)));
}
