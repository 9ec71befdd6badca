import { z } from 'zod';
import { parseDuration } from './duration.js';

// Every field has a default so a minimal config is a handful of lines; unknown keys are errors
// (strictObject) because a typo must never be silently ignored.

const duration = (fallback: string) =>
  z
    .string()
    .transform((text, ctx) => {
      const ms = parseDuration(text);
      if (ms === undefined) {
        ctx.addIssue({ code: 'custom', message: `"${text}" is not a duration (write it like 500ms, 90s, 2m, 1h)` });
        return z.NEVER;
      }
      return ms;
    })
    .prefault(fallback);

const section = <T extends z.ZodRawShape>(shape: T) => z.strictObject(shape).prefault({} as never); // every field below has a default

const port = z.number().int().min(1).max(65535);

export const configSchema = z.strictObject({
  /** This node's name in incidents; the Swarm hostname by default. */
  node: z.string().min(1).optional(),
  /** Cursor, incidents and rebalance records live here (a host directory in the stack). */
  stateDir: z.string().min(1).default('/var/lib/swarm-watchdog'),
  docker: section({
    socket: z.string().min(1).default('/var/run/docker.sock'),
    timeout: duration('10s'),
  }),
  journal: section({
    /** journalctl matches, ANDed within one string list entry's field, ORed across entries of one field. */
    matches: z.array(z.string().regex(/^([A-Z0-9_]+=.*|\+)$/, 'a match is FIELD=value (e.g. _SYSTEMD_UNIT=docker.service) or "+" (OR)')).min(1).default(['_SYSTEMD_UNIT=docker.service']),
    /** A journal directory (e.g. the host's /var/log/journal mounted into a container). */
    directory: z.string().min(1).optional(),
    /** First start without a cursor: read this far back (0s = from now). */
    lookback: duration('0s'),
    cursorFlush: duration('1s'),
    command: z.string().min(1).default('journalctl'),
    restartBackoffMax: duration('30s'),
  }),
  /** A rules file replacing the shipped config/rules.yml. */
  rulesFile: z.string().min(1).optional(),
  appLogs: section({
    /** Follow containers' output from the journal (journald log driver). */
    journal: z.boolean().default(true),
    /** Follow containers' output through the Docker logs API (json-file/local drivers). */
    dockerApi: z.boolean().default(true),
    codeFields: z.array(z.string().min(1)).default(['code', 'logCode', 'msg']),
    codePattern: z.string().default('\\b[A-Z][A-Z0-9]*-[A-Z][A-Z0-9]*-\\d{3}\\b'),
    reconnectCodes: z.array(z.string().min(1)).default(['*-REDIS-001', '*-ELASTIC-001']),
    massReconnect: section({
      minTasks: z.number().int().min(1).default(5),
      minPercent: z.number().min(1).max(100).default(50),
      window: duration('60s'),
    }),
  }),
  correlate: section({
    window: duration('90s'),
    /** An incident ends after this long without new evidence. */
    quiet: duration('60s'),
    /** More than this share of nodes unhealthy at once: a storm, the rebalancer holds. */
    stormShare: z.number().min(0).max(1).default(0.5),
    flapCount: z.number().int().min(2).default(3),
    flapWindow: duration('10m'),
    maxIncidents: z.number().int().min(10).default(500),
  }),
  cluster: section({
    reconcileEvery: duration('5s'),
  }),
  peers: section({
    /** Stack service whose tasks are the peers (DNS tasks.<service>). */
    service: z.string().min(1).optional(),
    /** Static peer URLs (lab, or no overlay DNS). */
    static: z.array(z.url()).default([]),
    tokenFile: z.string().min(1).optional(),
    pullEvery: duration('5s'),
  }),
  rebalance: section({
    auto: z.boolean().default(true),
    stabilization: duration('60s'),
    serviceTimeout: duration('3m'),
    maxInFlight: z.number().int().min(1).default(2),
    maxMoves: z.number().int().min(1).default(50),
    movesWindow: duration('10m'),
    cooldown: duration('10m'),
  }),
  alerts: section({
    webhookFile: z.string().min(1).optional(),
    /** Where can-wait alerts go: into the daily summary, or to a second webhook. */
    canWait: z.enum(['summary', 'webhook']).default('summary'),
    canWaitWebhookFile: z.string().min(1).optional(),
    timeout: duration('5s'),
    queueSize: z.number().int().min(1).default(100),
    maxRetries: z.number().int().min(0).default(8),
    managersUnreachableAfter: duration('2m'),
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
      hold: duration('2s'),
    }),
  }),
  summary: section({
    schedule: z.string().min(1).default('0 8 * * *'),
    timezone: z.string().min(1).default('UTC'),
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
    floodWindow: duration('60s'),
  }),
  reloadEvery: duration('2m'),
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
