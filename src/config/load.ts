import { hostname } from 'node:os';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { loadRulesFile } from '../detect/load-rules.js';
import { ConfigError } from '../errors.js';
import { webhookUrlProblem } from './checks.js';
import { applyEnv } from './env.js';
import { readSmallFile, TooBigError } from '../adapters/read-small.js';
import { configSchema, type Config, type Secrets } from './schema.js';

const MAX_SECRET_BYTES = 64 * 1024;

export const DEFAULT_CONFIG_FILE = 'config/watchdog.yml';

/** Reads, overrides from the environment, validates, and reads secret files. Throws ConfigError listing every problem. */
export function loadConfig(file: string, env: NodeJS.ProcessEnv = process.env): Config {
  let text: string;
  try {
    text = readSmallFile(file);
  } catch (err) {
    if (err instanceof TooBigError) throw new ConfigError([`${file}: ${err.message} (a config is a few KiB: check that --config or WATCHDOG_CONFIG names the config file)`]);
    throw new ConfigError([`${file}: cannot read the config file: ${(err as Error).message} (pass --config FILE or set WATCHDOG_CONFIG)`]);
  }
  return parseConfig(text, file, env);
}

export function parseConfig(text: string, file: string, env: NodeJS.ProcessEnv = process.env): Config {
  let doc: unknown;
  try {
    doc = parseYaml(text) ?? {};
  } catch (err) {
    const where = err instanceof YAMLParseError && err.linePos ? ` line ${err.linePos[0].line}` : '';
    throw new ConfigError([`${file}${where}: not valid YAML: ${(err as Error).message.split('\n')[0]} (fix the syntax)`]);
  }
  if (typeof doc !== 'object' || Array.isArray(doc) || doc === null) {
    throw new ConfigError([`${file}: the top level must be a mapping of keys (see config/watchdog.yml)`]);
  }
  const result = configSchema.safeParse(applyEnv(doc as Record<string, unknown>, env));
  if (!result.success) throw new ConfigError(result.error.issues.map(describeIssue));
  const problems: string[] = [];
  const secrets = readSecrets(result.data, problems);
  if (result.data.rulesFile) problems.push(...rulesFileProblems(result.data.rulesFile));
  if (problems.length) throw new ConfigError(problems);
  return { ...result.data, node: result.data.node ?? hostname(), secrets };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.join('.') || '(top level)';
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys
        .map((k) => `${[...issue.path, k].join('.')}: unknown key (check its spelling; every key is listed in config/watchdog.yml)`)
        .join('\n');
    case 'invalid_type':
      return `${path}: expected ${issue.expected} (${issue.input === undefined ? 'add it' : 'change its value'})`;
    case 'invalid_value':
      return `${path}: ${issue.message} (use one of: ${issue.values.map(String).join(', ')})`;
    case 'too_small':
    case 'too_big':
      return `${path}: ${issue.message} (change the value)`;
    case 'custom':
      return `${path}: ${issue.message}${issue.message.endsWith(')') ? '' : ' (change the value)'}`; // ours carry their fix
    default:
      return `${path}: ${issue.message} (change the value)`;
  }
}

function readSecret(field: string, file: string | undefined, problems: string[]): string | undefined {
  if (!file) return undefined;
  try {
    const value = readSmallFile(file, MAX_SECRET_BYTES).trim();
    if (!value) problems.push(`${field}: file ${file} is empty (put the secret in it)`);
    return value || undefined;
  } catch (err) {
    if (err instanceof TooBigError) problems.push(`${field}: file ${file}: ${err.message} (a secret is one line: check the path)`);
    else problems.push(`${field}: file ${file} cannot be read (create the Docker secret or unset the field)`);
    return undefined;
  }
}

function readSecrets(cfg: z.output<typeof configSchema>, problems: string[]): Secrets {
  const secrets: Secrets = {
    slackWebhook: readSecret('alerts.webhookFile', cfg.alerts.webhookFile, problems),
    canWaitWebhook: readSecret('alerts.canWaitWebhookFile', cfg.alerts.canWaitWebhookFile, problems),
    peerToken: readSecret('peers.tokenFile', cfg.peers.tokenFile, problems),
    slackToken: readSecret('alerts.slack.tokenFile', cfg.alerts.slack.tokenFile, problems),
    slackChannel: readSecret('alerts.slack.channelFile', cfg.alerts.slack.channelFile, problems),
  };
  problems.push(...slackBotProblems(cfg, secrets));
  for (const [field, url] of [['alerts.webhookFile', secrets.slackWebhook], ['alerts.canWaitWebhookFile', secrets.canWaitWebhook]] as const) {
    const problem = url ? webhookUrlProblem(url) : undefined;
    if (problem) problems.push(`${field}: ${problem}`);
  }
  if (cfg.alerts.canWait === 'webhook' && !cfg.alerts.canWaitWebhookFile) {
    problems.push('alerts.canWaitWebhookFile: required when alerts.canWait is "webhook" (set it, or use canWait: summary)');
  }
  return secrets;
}

/** The agent compiles the rules file at start and on every reload: refuse here what it would refuse there. */
function rulesFileProblems(path: string): string[] {
  try {
    loadRulesFile(path);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
}

/** Bot mode needs a token and a channel, and replaces the main webhook (one of the two, not both). */
function slackBotProblems(cfg: z.output<typeof configSchema>, secrets: Secrets): string[] {
  const { tokenFile, channelFile } = cfg.alerts.slack;
  const problems: string[] = [];
  if (tokenFile && !channelFile) problems.push('alerts.slack.channelFile: required with alerts.slack.tokenFile (a file holding the channel ID, e.g. C0123456789)');
  if (channelFile && !tokenFile) problems.push('alerts.slack.tokenFile: required with alerts.slack.channelFile (a file holding the bot token xoxb-…)');
  if (tokenFile && cfg.alerts.webhookFile) problems.push('alerts.webhookFile: unset it when alerts.slack.tokenFile is set (bot mode replaces the webhook)');
  if (secrets.slackToken && /\s/.test(secrets.slackToken)) problems.push('alerts.slack.tokenFile: the file holds more than one token (put only the xoxb-… token in it)');
  if (secrets.slackChannel && !/^[A-Z0-9]+$/.test(secrets.slackChannel)) problems.push('alerts.slack.channelFile: not a channel ID (use the ID like C0123456789, not the #name)');
  return problems;
}

/** The effective config for display: secrets masked. */
export function maskedConfig(cfg: Config): Record<string, unknown> {
  const mask = (v?: string) => (v ? '********' : undefined);
  return {
    ...cfg,
    secrets: { slackWebhook: mask(cfg.secrets.slackWebhook), canWaitWebhook: mask(cfg.secrets.canWaitWebhook), peerToken: mask(cfg.secrets.peerToken), slackToken: mask(cfg.secrets.slackToken), slackChannel: cfg.secrets.slackChannel },
  };
}
