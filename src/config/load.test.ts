import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { ConfigError } from '../errors.js';
import { formatDuration, parseDuration } from './duration.js';
import { loadConfig, maskedConfig, parseConfig } from './load.js';
import { configSchema } from './schema.js';

const problems = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
};

describe('config', () => {
  it('the shipped config/watchdog.yml is valid and equals the defaults', () => {
    const shipped = loadConfig(new URL('../../config/watchdog.yml', import.meta.url).pathname, {});
    const empty = parseConfig('', 'empty.yml', {});
    expect(shipped).toEqual(empty);
    expect(shipped.journal.matches).toEqual(['_SYSTEMD_UNIT=docker.service']);
    expect(shipped.rebalance.stabilization).toBe(60_000);
  });

  it('reports every problem as path: message (fix)', () => {
    const found = problems(() =>
      parseConfig('jornal: {}\njournal: {lookback: soon}\nhttp: {port: 70000}\nlog: {level: verbose}\n', 'x.yml', {}),
    );
    expect(found).toHaveLength(4);
    expect(found).toContain('jornal: unknown key (check its spelling; every key is listed in config/watchdog.yml)');
    expect(found.find((p) => p.startsWith('journal.lookback:'))).toMatch(/"soon" is not a duration.*\(/);
    expect(found.find((p) => p.startsWith('http.port:'))).toMatch(/\(change the value\)$/);
    expect(found.find((p) => p.startsWith('log.level:'))).toMatch(/use one of: critical, error, warning, info, debug/);
  });

  it('rejects unknown nested keys and broken YAML', () => {
    expect(problems(() => parseConfig('rebalance: {stabilisation: 60s}', 'x.yml', {}))[0]).toMatch(/^rebalance.stabilisation: unknown key/);
    expect(problems(() => parseConfig('a: [1', 'x.yml', {}))[0]).toMatch(/not valid YAML/);
    expect(problems(() => parseConfig('- 1', 'x.yml', {}))[0]).toMatch(/top level must be a mapping/);
  });

  it('environment variables override single fields', () => {
    const cfg = parseConfig('journal: {matches: [A=1]}', 'x.yml', {
      WATCHDOG_JOURNAL_MATCHES: 'SYSLOG_IDENTIFIER=dockerd-node1, SYSLOG_IDENTIFIER=dockerd-node2',
      WATCHDOG_HTTP_PORT: '9400',
      WATCHDOG_NODE: 'node7',
      WATCHDOG_REBALANCE_AUTO: 'false',
    });
    expect(cfg.journal.matches).toEqual(['SYSLOG_IDENTIFIER=dockerd-node1', 'SYSLOG_IDENTIFIER=dockerd-node2']);
    expect(cfg.http.port).toBe(9400);
    expect(cfg.node).toBe('node7');
    expect(cfg.rebalance.auto).toBe(false);
    expect(problems(() => parseConfig('', 'x.yml', { WATCHDOG_HTTP_PORT: 'eighty' }))[0]).toMatch(/^http.port: expected number/);
  });

  it("stack.slack-bot.yml over stack.yml gives bot mode: the overlay's blank webhook variable is not set", () => {
    const env = (file: string) => (parse(readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8')).services.agent.environment ?? {}) as Record<string, string>;
    const dir = mkdtempSync(join(tmpdir(), 'wdg-stack-'));
    const secrets: Record<string, string> = { slack_bot_token: 'xoxb-1', slack_channel: 'C0123456789', slack_webhook: 'https://hooks.slack.com/services/T/B/unused', watchdog_peer_token: 't' };
    for (const [name, value] of Object.entries(secrets)) writeFileSync(join(dir, name), value);
    // As `docker stack deploy -c stack.yml -c stack.slack-bot.yml` merges them: key by key, the overlay last.
    const merged = Object.fromEntries(
      Object.entries({ ...env('stack.yml'), ...env('stack.slack-bot.yml') }).map(([k, v]) => [k, String(v).replace('/run/secrets', dir)]),
    );
    const cfg = parseConfig('', 'x.yml', { WATCHDOG_SLACK_TOKEN_FILE: merged.WATCHDOG_SLACK_TOKEN_FILE, WATCHDOG_SLACK_CHANNEL_FILE: merged.WATCHDOG_SLACK_CHANNEL_FILE, WATCHDOG_WEBHOOK_FILE: merged.WATCHDOG_WEBHOOK_FILE, WATCHDOG_PEER_TOKEN_FILE: merged.WATCHDOG_PEER_TOKEN_FILE });
    expect(cfg.alerts.webhookFile).toBeUndefined();
    expect(cfg.secrets.slackToken).toBe('xoxb-1');
    expect(cfg.secrets.slackChannel).toBe('C0123456789');
    // stack.yml alone stays in webhook mode.
    expect(parseConfig('', 'x.yml', { WATCHDOG_WEBHOOK_FILE: env('stack.yml').WATCHDOG_WEBHOOK_FILE!.replace('/run/secrets', dir) }).secrets.slackWebhook).toBe('https://hooks.slack.com/services/T/B/unused');
  });

  it('reads secrets from files, never from the YAML, and masks them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wdg-config-'));
    writeFileSync(join(dir, 'hook'), 'http://127.0.0.1:8080/hook/secret\n');
    writeFileSync(join(dir, 'token'), 's3cret-token');
    const cfg = parseConfig(`alerts: {webhookFile: ${dir}/hook}\npeers: {tokenFile: ${dir}/token}`, 'x.yml', {});
    expect(cfg.secrets).toEqual({ slackWebhook: 'http://127.0.0.1:8080/hook/secret', peerToken: 's3cret-token', canWaitWebhook: undefined });
    const shown = JSON.stringify(maskedConfig(cfg));
    expect(shown).not.toContain('secret-token');
    expect(shown).not.toContain('/hook/secret');
    expect(problems(() => parseConfig(`alerts: {webhookFile: ${dir}/missing}`, 'x.yml', {}))).toEqual([
      `alerts.webhookFile: file ${dir}/missing cannot be read (create the Docker secret or unset the field)`,
    ]);
    expect(problems(() => parseConfig('alerts: {webhookUrl: http://x}', 'x.yml', {}))[0]).toMatch(/^alerts.webhookUrl: unknown key/);
    expect(readFileSync(join(dir, 'token'), 'utf8')).toBe('s3cret-token');
  });

  it('parses and formats durations', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('2m')).toBe(120_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('1.5h')).toBe(5_400_000);
    expect(parseDuration('90')).toBeUndefined();
    expect(formatDuration(120_000)).toBe('2m');
    expect(formatDuration(90_000)).toBe('90s');
    expect(formatDuration(1500)).toBe('1500ms');
  });
});

describe('config checks the agent runs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wdg-config-checks-'));
  const leaves = (shape: Record<string, unknown>, prefix: string[] = []): string[][] =>
    Object.entries(shape).flatMap(([k, v]) => {
      let inner = v as { def?: { type?: string; innerType?: unknown; shape?: Record<string, unknown> }; shape?: Record<string, unknown> };
      while (inner?.def?.innerType) inner = inner.def.innerType as typeof inner;
      const sub = inner?.def?.type === 'object' ? (inner.shape ?? inner.def.shape) : undefined;
      return sub ? leaves(sub, [...prefix, k]) : [[...prefix, k]];
    });
  const withValue = (path: string[], value: unknown): string => stringify(path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value));
  const at = (cfg: unknown, path: string[]) => path.reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], cfg);
  // every duration field, found by what it accepts: "1s" becomes 1000 ms
  const durations = leaves(configSchema.shape as Record<string, unknown>).filter((path) => {
    try {
      return at(parseConfig(withValue(path, '1s'), 'x.yml', {}), path) === 1000;
    } catch {
      return false;
    }
  });

  it('every duration has a minimum and a maximum, with the fix in the message', () => {
    expect(durations.length).toBeGreaterThanOrEqual(18);
    const zeroMeansSomething = ['journal.lookback', 'rebalance.stabilization', 'rebalance.cooldown'];
    for (const path of durations) {
      const name = path.join('.');
      expect(problems(() => parseConfig(withValue(path, '400d'), 'x.yml', {})), name).toEqual([
        expect.stringMatching(new RegExp(`^${name}: "400d" is too long \\(write a value from \\S+ to \\S+, like \\S+\\)$`)),
      ]);
      if (zeroMeansSomething.includes(name)) expect(at(parseConfig(withValue(path, '0s'), 'x.yml', {}), path)).toBe(0);
      else expect(problems(() => parseConfig(withValue(path, '0ms'), 'x.yml', {}))[0], name).toMatch(/is too short \(write a value from/);
    }
    // the reported cases: a busy loop, a timer overflow, no timeout at all
    expect(problems(() => parseConfig('reloadEvery: 0ms', 'x.yml', {}))).toEqual(['reloadEvery: "0ms" is too short (write a value from 1s to 1d, like 2m)']);
    expect(problems(() => parseConfig('reloadEvery: 30d', 'x.yml', {}))[0]).toMatch(/too long/);
    expect(problems(() => parseConfig('alerts: {timeout: 0ms}', 'x.yml', {}))[0]).toMatch(/^alerts.timeout: "0ms" is too short/);
  });

  it('refuses a bad cron, time zone or code pattern, and a missing or invalid rules file', () => {
    writeFileSync(join(dir, 'bad-rules.yml'), 'version: 1\nrules: [{id: x}]\n');
    const found = problems(() =>
      parseConfig(`summary: {schedule: "every day", timezone: Mars/Olympus}\nappLogs: {codePattern: "("}\n`, 'x.yml', {}),
    );
    expect(found).toEqual([
      expect.stringMatching(/^appLogs.codePattern: "\(" is not a regular expression: .+ \(fix it, or remove the key for the default\)$/),
      'summary.schedule: "every day" is not a cron expression (write it like "0 8 * * *": minute hour day-of-month month day-of-week)',
      'summary.timezone: "Mars/Olympus" is not a time zone (write it like UTC or Europe/Berlin)',
    ]);
    expect(problems(() => parseConfig(`rulesFile: ${dir}/none.yml`, 'x.yml', {}))[0]).toMatch(/^rulesFile: .*none.yml: cannot read the file \(ENOENT\)/);
    expect(problems(() => parseConfig(`rulesFile: ${dir}/bad-rules.yml`, 'x.yml', {}))[0]).toContain('bad-rules.yml');
    const good = new URL('../../config/rules.yml', import.meta.url).pathname;
    expect(parseConfig(`rulesFile: ${good}`, 'x.yml', {}).rulesFile).toBe(good);
  });

  it('refuses a webhook file that fetch could not use', () => {
    for (const url of ['http://[bad/hook', 'https://', 'ftp://hooks.example/x', 'not a url']) {
      writeFileSync(join(dir, 'hook'), url);
      const found = problems(() => parseConfig(`alerts: {webhookFile: ${dir}/hook}`, 'x.yml', {}));
      expect(found, url).toEqual([expect.stringMatching(/^alerts.webhookFile: the file does not hold an? (valid|http\(s\)) URL \(put the webhook URL in it/)]);
      expect(found.join(), url).not.toContain(url); // the secret is not printed back
    }
  });

  it('refuses config, secret and rules files over their size limit', () => {
    const big = join(dir, 'big.yml');
    writeFileSync(big, `node: ${'x'.repeat(1024 * 1024)}\n`);
    const found = problems(() => loadConfig(big, {}));
    expect(found).toEqual([`${big}: the file is 1.0 MiB, over the 1.0 MiB limit (a config is a few KiB: check that --config or WATCHDOG_CONFIG names the config file)`]);
    expect(found.join()).not.toContain('xxxx');
    expect(problems(() => parseConfig(`peers: {tokenFile: ${big}}`, 'x.yml', {}))[0]).toMatch(/^peers.tokenFile: file .*big.yml: the file is 1.0 MiB, over the 64.0 KiB limit/);
    expect(problems(() => parseConfig(`rulesFile: ${big}`, 'x.yml', {}))[0]).toMatch(/^rulesFile: .*over the 1.0 MiB limit/);
    expect(problems(() => loadConfig('/dev/zero', {}))[0]).toMatch(/over 1.0 MiB/); // a device that never ends
  });
});

describe('config reference', () => {
  // config/watchdog.yml is the reference (README links to it): every key of the schema appears in it,
  // set or commented out, so no option is undocumented.
  it('config/watchdog.yml names every key of the schema', () => {
    const text = readFileSync(new URL('../../config/watchdog.yml', import.meta.url), 'utf8');
    const keys = (shape: Record<string, unknown>, prefix: string[] = []): string[][] =>
      Object.entries(shape).flatMap(([k, v]) => {
        let inner = v as { def?: { type?: string; innerType?: unknown; shape?: Record<string, unknown> }; shape?: Record<string, unknown> };
        while (inner?.def?.innerType) inner = inner.def.innerType as typeof inner;
        const sub = inner?.def?.type === 'object' ? (inner.shape ?? inner.def.shape) : undefined;
        return sub && k !== 'ship' ? [[...prefix, k], ...keys(sub, [...prefix, k])] : [[...prefix, k]];
      });
    const missing = keys(configSchema.shape as Record<string, unknown>).filter((path) => !new RegExp(`(^|[\\s{,#])${path[path.length - 1]}:`, 'm').test(text));
    expect(missing).toEqual([]);
  });
});
