// A config reload is all or nothing: everything that can refuse the new config runs first, while
// the running one is untouched; only then is it applied, by steps that cannot fail.
import type { Clock } from '../adapters/clock.js';
import { restartNeeded } from '../config/restart-fields.js';
import type { Config } from '../config/schema.js';
import { ConfigError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import type { Health } from '../operate/health.js';
import type { Metrics } from '../operate/metrics.js';

export interface ReloadDeps {
  /** Reads and checks the file (loadConfig): throws ConfigError listing every problem. */
  load: () => Config;
  running: () => Config;
  /** What the agent read at start: the restart-only fields really are these. */
  started: Config;
  /** Builds what `next` needs without changing anything (throws to refuse); returns the apply step. */
  prepare: (next: Config, running: Config) => () => void;
  health: Health;
  metrics: Pick<Metrics, 'configReloads'>;
  log: Logger;
  clock: Clock;
}

export type ReloadResult = 'applied' | 'unchanged' | 'refused';

export function reloadConfig(deps: ReloadDeps, via: string): ReloadResult {
  const { health, metrics, log, clock } = deps;
  let next: Config;
  let apply: () => void;
  try {
    next = deps.load();
    health.set('config', 'OK', clock.now()); // also when a broken file was put back as it was
    const running = deps.running();
    if (JSON.stringify(next) === JSON.stringify(running)) return 'unchanged';
    apply = deps.prepare(next, running);
  } catch (err) {
    const problems = err instanceof ConfigError ? err.problems : [(err as Error).message];
    health.set('config', 'ERROR', clock.now(), problems.join('; '));
    metrics.configReloads.inc({ result: 'refused' });
    log.log('WDG-CONFIG-004', `configuration change refused, the previous one stays (${via})`, { problems });
    return 'refused';
  }
  apply();
  metrics.configReloads.inc({ result: 'applied' });
  log.log('WDG-CONFIG-003', `configuration reloaded (${via})`, { via });
  const waiting = restartNeeded(deps.started, next);
  if (waiting.length) log.log('WDG-CONFIG-005', `applied, except what takes a restart of the agent: ${waiting.join(', ')}`, { fields: waiting });
  return 'applied';
}

/** The running agent as a reload sees it. */
export interface LiveParts {
  /** node-cron schedule of the daily summary; throws ConfigError for a bad expression or zone. */
  startSchedule(c: Config): { stop(): void };
  /** Puts the new schedule in place (and stops the old one). */
  swapSchedule(next: { stop(): void }): void;
  agent: { prepareConfig(c: Config): () => void };
  /** Makes `next` the config every reader sees (token, secrets to redact, …). */
  setConfig(next: Config): void;
  /** The rest, which no checked config refuses (log level, shipping, Slack queues, journal). */
  applyRest(next: Config): void;
}

/** `prepare` for reloadConfig: a new schedule and the agent's rules and code pattern are built first. */
export function liveSteps(parts: LiveParts): ReloadDeps['prepare'] {
  return (next, running) => {
    const changed = next.summary.schedule !== running.summary.schedule || next.summary.timezone !== running.summary.timezone;
    const schedule = changed ? parts.startSchedule(next) : undefined;
    let applyToAgent: () => void;
    try {
      applyToAgent = parts.agent.prepareConfig(next);
    } catch (err) {
      schedule?.stop();
      throw err;
    }
    return () => {
      parts.setConfig(next);
      if (schedule) parts.swapSchedule(schedule);
      applyToAgent();
      parts.applyRest(next);
    };
  };
}
