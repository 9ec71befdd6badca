import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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
