// The daily summary's period: what it counts (application codes from the correlator, the agent's own
// codes from the logger), when it ends (node-cron, summary.schedule in summary.timezone), and what
// survives a restart (the period's start, the own counts, the previous period's counts for the change
// column) in the state directory. Every agent ends its period on schedule; only the acting one posts.
import cron from 'node-cron';
import type { Clock } from '../adapters/clock.js';
import { StateFile } from '../adapters/state-file.js';
import type { CodeCounterState } from '../correlate/code-counter.js';
import type { Incident } from '../correlate/types.js';
import { cronProblem, timezoneProblem } from '../config/checks.js';
import { ConfigError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import { buildSummary, mergeSources, type CodeTotal, type Summary } from './summary.js';

export interface SummaryState {
  version: 1;
  periodStart: number;
  /** The agent's own log-code counts of the period, as last saved. */
  own: Record<string, number>;
  yesterday?: { from: number; to: number; codes: CodeTotal[] };
}

/** summary.json in the state directory; a missing or corrupt file starts a fresh period. */
export class SummaryStore {
  private readonly file: StateFile<SummaryState>;

  constructor(path: string, private readonly log: Logger) {
    this.file = new StateFile<SummaryState>(path);
  }

  get path(): string {
    return this.file.path;
  }

  read(now: number): SummaryState {
    const fresh: SummaryState = { version: 1, periodStart: now, own: {} };
    try {
      const saved = this.file.read();
      if (!saved) return fresh;
      if (saved.version !== 1 || typeof saved.periodStart !== 'number') throw new Error(`unknown version ${String(saved.version)}`);
      return { version: 1, periodStart: saved.periodStart, own: saved.own ?? {}, ...(saved.yesterday ? { yesterday: saved.yesterday } : {}) };
    } catch (err) {
      this.log.log('WDG-STATE-001', `summary state ${this.file.path} is unreadable; the daily counts start fresh: ${(err as Error).message}`, { path: this.file.path });
      return fresh;
    }
  }

  write(state: SummaryState): void {
    try {
      this.file.write(state);
    } catch (err) {
      this.log.log('WDG-STATE-002', `cannot save the daily summary counts: ${(err as Error).message}`, { path: this.file.path });
    }
  }
}

export interface DailySummaryDeps {
  store: SummaryStore;
  clock: Clock;
  /** Its control counts the agent's own codes. */
  log: Logger;
  /** The correlator's application code counts (Agent.codeCounts()) and their reset. */
  appCounts: () => CodeCounterState;
  resetAppCounts: () => void;
  incidents: () => Incident[];
  /** How often the own counts are saved (they are also saved on stop and at the end of a period). */
  saveEveryMs?: number;
}

export function appTotals(state: CodeCounterState): CodeTotal[] {
  const totals = state.codes.map(({ code, count }) => ({ code, count }));
  if (state.other > 0) totals.push({ code: '(other)', count: state.other }); // codes past the counter's bound
  return totals;
}

export class DailySummary {
  private state: SummaryState;
  private timer?: { cancel(): void };

  constructor(private readonly deps: DailySummaryDeps) {
    this.state = deps.store.read(deps.clock.now());
    // the period's counts from before a restart, plus what this process logged before we got here
    const own = { ...this.state.own };
    for (const [code, n] of Object.entries(deps.log.control.counts())) own[code] = (own[code] ?? 0) + n;
    deps.log.control.resetCounts(own);
  }

  get periodStart(): number {
    return this.state.periodStart;
  }

  /** The period so far; its incidents, or those of the last `sinceMs` (the route's ?since=). */
  current(sinceMs?: number): Summary {
    const now = this.deps.clock.now();
    return this.build(now, sinceMs === undefined ? undefined : now - sinceMs);
  }

  /**
   * Ends the period now: builds its summary, hands it to `post` (the acting agent's Slack post), then
   * starts the next period with this one as "yesterday". If building or posting throws, the counts
   * are kept and the next period covers both.
   */
  endPeriod(post?: (summary: Summary) => void): Summary {
    const now = this.deps.clock.now();
    const summary = this.build(now);
    post?.(summary);
    this.state = {
      version: 1,
      periodStart: now,
      own: {},
      yesterday: { from: this.state.periodStart, to: now, codes: summary.codes.filter((r) => r.count > 0).map(({ code, count }) => ({ code, count })) },
    };
    this.deps.resetAppCounts();
    this.deps.log.control.resetCounts();
    this.deps.store.write(this.state);
    this.deps.log.log('WDG-SUMMARY-001', `daily summary ${summary.from} → ${summary.to}: ${summary.codes.filter((r) => r.count > 0).length} codes, ${summary.incidents.length} incident(s)${post ? ', posted' : ''}`, {
      from: summary.from,
      to: summary.to,
      codes: summary.codes.length,
      incidents: summary.incidents.length,
      posted: Boolean(post),
    });
    return summary;
  }

  /** Saves the own counts every saveEveryMs, so a crash loses at most that much of them. */
  start(): void {
    const loop = () => {
      this.timer = this.deps.clock.setTimeout(() => {
        this.save();
        loop();
      }, this.deps.saveEveryMs ?? 60_000);
    };
    loop();
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
    this.save();
  }

  save(): void {
    this.state = { ...this.state, own: this.deps.log.control.counts() };
    this.deps.store.write(this.state);
  }

  private build(now: number, incidentsFrom?: number): Summary {
    const own = Object.entries(this.deps.log.control.counts()).map(([code, count]) => ({ code, count }));
    return buildSummary({
      today: mergeSources(appTotals(this.deps.appCounts()), own),
      yesterday: this.state.yesterday?.codes,
      incidents: this.deps.incidents(),
      from: this.state.periodStart,
      to: now,
      incidentsFrom,
    });
  }
}

export interface SummaryScheduleOptions {
  /** A cron expression (summary.schedule), e.g. "0 8 * * *". */
  schedule: string;
  /** An IANA time zone (summary.timezone). */
  timezone: string;
  /** Runs at each scheduled time: typically `daily.endPeriod(agent.acting ? postToSlack : undefined)`. */
  post: () => void | Promise<void>;
  log: Logger;
}

/** Checks the expression and the zone (ConfigError, exit 78, when wrong) and schedules `post`. */
export function startSummarySchedule(opts: SummaryScheduleOptions): { stop(): void } {
  // the config schema refuses the same (config/checks.ts); checked again for callers without a config
  const problems = [['summary.schedule', cronProblem(opts.schedule)], ['summary.timezone', timezoneProblem(opts.timezone)]].filter(([, p]) => p).map(([f, p]) => `${f}: ${p}`);
  if (problems.length) throw new ConfigError(problems);
  const debug = (message: unknown) => opts.log.debug('summary schedule', { message: String(message) });
  const task = cron.schedule(
    opts.schedule,
    async () => {
      try {
        await opts.post();
      } catch (err) {
        opts.log.log('WDG-SUMMARY-002', `daily summary failed: ${(err as Error).message}`, { stack: (err as Error).stack });
      }
    },
    // node-cron's own logger writes coloured text to the console: ours keeps stdout JSON
    { timezone: opts.timezone, name: 'daily-summary', noOverlap: true, unref: true, logger: { info: debug, warn: debug, error: debug, debug } },
  );
  return {
    stop: () => {
      void task.destroy();
    },
  };
}
