import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { maskedConfig, parseConfig } from './load.js';

const dir = mkdtempSync(join(tmpdir(), 'wdg-botcfg-'));
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};
const problems = (yaml: string): string[] => {
  try {
    parseConfig(yaml, 'watchdog.yml', {});
    return [];
  } catch (err) {
    return (err as ConfigError).problems;
  }
};

describe('Slack bot mode config', () => {
  it('reads the token and channel from secret files, masks the token, defaults the first notice', () => {
    const token = file('token', 'xoxb-123-456-abc\n');
    const channel = file('channel', 'C0123456789');
    const cfg = parseConfig(`alerts: { slack: { tokenFile: ${token}, channelFile: ${channel} } }`, 'watchdog.yml', {});
    expect(cfg.secrets).toMatchObject({ slackToken: 'xoxb-123-456-abc', slackChannel: 'C0123456789' });
    expect(cfg.alerts.slack.apiUrl).toBe('https://slack.com/api/');
    expect(cfg.alerts.firstNotice).toEqual({ enabled: true, hold: 2000 });
    expect(JSON.stringify(maskedConfig(cfg))).not.toContain('xoxb-123');
  });

  it('names every wrong combination with its fix', () => {
    const token = file('token2', 'xoxb-1');
    const hook = file('hook', 'https://hooks.slack.com/services/T/B/x');
    expect(problems(`alerts: { slack: { tokenFile: ${token} } }`)).toEqual([expect.stringMatching(/^alerts\.slack\.channelFile: required with alerts\.slack\.tokenFile/)]);
    expect(problems(`alerts: { webhookFile: ${hook}, slack: { tokenFile: ${token}, channelFile: ${file('c', 'C01')} } }`)).toEqual([expect.stringMatching(/^alerts\.webhookFile: unset it when alerts\.slack\.tokenFile is set/)]);
    expect(problems(`alerts: { slack: { tokenFile: ${token}, channelFile: ${file('c2', '#alerts')} } }`)).toEqual([expect.stringMatching(/^alerts\.slack\.channelFile: not a channel ID/)]);
    expect(problems(`alerts: { firstNotice: { hold: soon } }`)).toEqual([expect.stringMatching(/^alerts\.firstNotice\.hold: "soon" is not a duration/)]);
  });
});
