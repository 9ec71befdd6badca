import { z } from 'zod';
import { cronProblem, regexProblem, timezoneProblem } from './checks.js';
import { parseDuration } from './duration.js';

// Every field has a default so a minimal config is a handful of lines; unknown keys are errors
// (strictObject) because a typo must never be silently ignored.

// Every duration has bounds: 0ms would busy-loop a timer or mean "no timeout", and past ~24.8 days
// Node's timers overflow (they then fire at once).
const duration = (fallback: string, min: string, max: string) => {
  const [lo, hi] = [parseDuration(min)!, parseDuration(max)!];
  return z
    .string()
    .transform((text, ctx) => {
      const ms = parseDuration(text);
      const fix = `(write a value from ${min} to ${max}, like ${fallback})`;
      if (ms === undefined) ctx.addIssue({ code: 'custom', message: `"${text}" is not a duration ${fix}` });
      else if (ms < lo) ctx.addIssue({ code: 'custom', message: `"${text}" is too short ${fix}` });
      else if (ms > hi) ctx.addIssue({ code: 'custom', message: `"${text}" is too long ${fix}` });
      else return ms;
      return z.NEVER;
    })
    .prefault(fallback);
};

/** A string `problem` finds nothing wrong with (the message carries its own fix). */
const checked = (problem: (value: string) => string | undefined) =>
  z.string().min(1).superRefine((value, ctx) => {
    const message = problem(value);
    if (message) ctx.addIssue({ code: 'custom', message });
  });

const section = <T extends z.ZodRawShape>(shape: T) => z.strictObject(shape).prefault({} as never); // every field below has a default

const port = z.number().int().min(1).max(65535);

export const configSchema = z.strictObject({
  /** This node's name in incidents; the Swarm hostname by default. */
  node: z.string().min(1).optional(),
  /** Cursor, incidents and rebalance records live here (a host directory in the stack). */
  stateDir: z.string().min(1).default('/var/lib/swarm-watchdog'),
  docker: section({
    socket: z.string().min(1).default('/var/run/docker.sock'),
    timeout: duration('10s', '500ms', '10m'),
  }),
  journal: section({
    /** journalctl matches, ANDed within one string list entry's field, ORed across entries of one field. */
    matches: z.array(z.string().regex(/^([A-Z0-9_]+=.*|\+)$/, 'a match is FIELD=value (e.g. _SYSTEMD_UNIT=docker.service) or "+" (OR)')).min(1).default(['_SYSTEMD_UNIT=docker.service']),
    /** A journal directory (e.g. the host's /var/log/journal mounted into a container). */
    directory: z.string().min(1).optional(),
    /** First start without a cursor: read this far back (0s = from now). */
    lookback: duration('0s', '0s', '365d'),
    cursorFlush: duration('1s', '50ms', '1m'),
    command: z.string().min(1).default('journalctl'),
    restartBackoffMax: duration('30s', '1s', '1h'),
  }),
  /** A rules file replacing the shipped config/rules.yml. */
  rulesFile: z.string().min(1).optional(),
  appLogs: section({
    /** Follow containers' output from the journal (journald log driver). */
    journal: z.boolean().default(true),
    /** Follow containers' output through the Docker logs API (json-file/local drivers). */
    dockerApi: z.boolean().default(true),
    codeFields: z.array(z.string().min(1)).default(['code', 'logCode', 'msg']),
    codePattern: checked(regexProblem).default('\\b[A-Z][A-Z0-9]*-[A-Z][A-Z0-9]*-\\d{3}\\b|^[a-z]+(?:-[a-z]+){2,}$'),
    reconnectCodes: z.array(z.string().min(1)).default(['*-REDIS-001', '*-ELASTIC-001']),
    massReconnect: section({
      minTasks: z.number().int().min(1).default(5),
      minPercent: z.number().min(1).max(100).default(50),
      window: duration('60s', '1s', '1h'),
    }),
  }),
  correlate: section({
    window: duration('90s', '1s', '1h'),
    /** An incident ends after this long without new evidence. */
    quiet: duration('60s', '1s', '1d'),
    /** More than this share of nodes unhealthy at once: a storm, the rebalancer holds. */
    stormShare: z.number().min(0).max(1).default(0.5),
    flapCount: z.number().int().min(2).default(3),
    flapWindow: duration('10m', '1s', '1d'),
    maxIncidents: z.number().int().min(10).default(500),
  }),
  cluster: section({
    reconcileEvery: duration('5s', '100ms', '1h'),
  }),
  peers: section({
    /** Stack service whose tasks are the peers (DNS tasks.<service>). */
    service: z.string().min(1).optional(),
    /** Static peer URLs (lab, or no overlay DNS). */
    static: z.array(z.url()).default([]),
    tokenFile: z.string().min(1).optional(),
    pullEvery: duration('5s', '100ms', '1h'),
  }),
  rebalance: section({
    auto: z.boolean().default(true),
    stabilization: duration('60s', '0s', '1d'),
    serviceTimeout: duration('3m', '1s', '1d'),
    maxInFlight: z.number().int().min(1).default(2),
    maxMoves: z.number().int().min(1).default(50),
    movesWindow: duration('10m', '1s', '7d'),
    cooldown: duration('10m', '0s', '7d'),
  }),
  alerts: section({
    webhookFile: z.string().min(1).optional(),
    /** Where can-wait alerts go: into the daily summary, or to a second webhook. */
    canWait: z.enum(['summary', 'webhook']).default('summary'),
    canWaitWebhookFile: z.string().min(1).optional(),
    timeout: duration('5s', '100ms', '2m'),
    queueSize: z.number().int().min(1).default(100),
    maxRetries: z.number().int().min(0).default(8),
    managersUnreachableAfter: duration('2m', '1s', '1d'),
    /** Bot-token mode (instead of webhookFile): one message per incident, updated in place, changes in its thread. */
    slack: section({
      /** A bot token (xoxb-…) with chat:write. */
      tokenFile: z.string().min(1).optional(),
      /** The channel ID (C…) the bot posts to; the bot must be a member. */
      channelFile: z.string().min(1).optional(),
      apiUrl: z.url().default('https://slack.com/api/'),
    }),
    /** Bot mode: a warning when gossip says a node failed and it is not back within `hold`, updated to the verdict. */
    firstNotice: section({
      enabled: z.boolean().default(true),
      hold: duration('2s', '500ms', '10m'),
    }),
  }),
  summary: section({
    schedule: checked(cronProblem).default('0 8 * * *'),
    timezone: checked(timezoneProblem).default('UTC'),
  }),
  http: section({
    listen: z.string().min(1).default('0.0.0.0'),
    port: port.default(9323),
  }),
  log: section({
    level: z.enum(['critical', 'error', 'warning', 'info', 'debug']).default('info'),
    ship: z
      .strictObject({ protocol: z.enum(['syslog', 'gelf']), host: z.string().min(1), port })
      .optional(),
    floodMax: z.number().int().min(1).default(20),
    floodWindow: duration('60s', '1s', '1d'),
  }),
  reloadEvery: duration('2m', '1s', '1d'),
});

export type ConfigInput = z.input<typeof configSchema>;
export type FileConfig = z.output<typeof configSchema>;

/** The effective config: the file's, plus what comes from outside it. */
export interface Config extends FileConfig {
  node: string;
  secrets: Secrets;
}

export interface Secrets {
  slackWebhook?: string;
  canWaitWebhook?: string;
  slackToken?: string;
  slackChannel?: string;
  peerToken?: string;
}
