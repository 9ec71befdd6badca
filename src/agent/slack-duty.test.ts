import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../test/support/fake-clock.js';
import { parseConfig } from '../config/load.js';
import { silentLogger } from '../log/logger.js';
import type { SlackChat } from '../notify/slack-bot.js';
import { Health } from '../operate/health.js';
import { Metrics } from '../operate/metrics.js';
import { SlackDuty } from './slack-duty.js';

function setup(chat: SlackChat) {
  const dir = mkdtempSync(join(tmpdir(), 'wdg-duty-'));
  writeFileSync(join(dir, 'token'), 'xoxb-1');
  writeFileSync(join(dir, 'channel'), 'C01');
  const config = parseConfig(`node: node1\nstateDir: ${dir}\nalerts: { slack: { tokenFile: ${dir}/token, channelFile: ${dir}/channel } }`, 'watchdog.yml', {});
  const health = new Health();
  const clock = new FakeClock(Date.parse('2026-11-22T11:20:00Z'));
  const duty = new SlackDuty({ config: () => config, clock, log: silentLogger(), metrics: new Metrics(), health, chat: () => chat });
  const target = { node: 'node1', static: [], port: 9323 };
  return { duty, health, clock, target };
}

const gossip = (kind: 'gossip-suspect' | 'gossip-failed' | 'gossip-left', time: number) => ({
  type: 'signal' as const,
  signal: { node: 'node1', time, rule: kind, kind, message: kind, subject: 'aca7f76a1b68', subjectKind: 'gossip-id' as const, ...(kind === 'gossip-left' ? { detail: { addr: '10.0.0.14' } } : {}) },
});

describe('Slack duty in bot mode', () => {
  it('a refused token shows in health at once, before any message is tried', async () => {
    const refusing: SlackChat = { authTest: () => Promise.reject(Object.assign(new Error('An API error occurred: invalid_auth'), { data: { error: 'invalid_auth' } })), post: () => Promise.reject(new Error('no')), update: () => Promise.reject(new Error('no')) };
    const { duty, health, clock, target } = setup(refusing);
    await clock.advance(0);
    duty.tick(true, target);
    expect(health.report().find((e) => e.Name === 'slack-bot')).toMatchObject({ Status: 'ERROR', Detail: expect.stringContaining('invalid_auth') });
    duty.stop();
  });

  it('posts the first notice exactly when the hold ends, from the own daemon\'s gossip only', async () => {
    const posted: Array<{ at: number; text: string }> = [];
    const { duty, clock, target } = setup({ authTest: async () => ({}), post: async (a) => (posted.push({ at: clock.now(), text: a.text }), { ts: '1.000001' }), update: async () => {} });
    duty.reconciled({ nodes: [{ ID: 'x', Description: { Hostname: 'node4' }, Status: { State: 'ready', Addr: '10.0.0.14' } }], services: [], tasks: [] });
    duty.tick(true, target);
    const t0 = clock.now();
    duty.observed({ ...gossip('gossip-failed', t0), signal: { ...gossip('gossip-failed', t0).signal, node: 'node2' } }, true); // a peer's view: not used
    duty.observed(gossip('gossip-suspect', t0), true);
    await clock.advance(500);
    duty.observed(gossip('gossip-failed', t0 + 500), true);
    duty.observed(gossip('gossip-left', t0 + 500), true);
    await clock.advance(1400);
    expect(posted).toEqual([]);
    await clock.advance(200);
    expect(posted.map((p) => p.at - t0)).toEqual([2000]);
    expect(posted[0]!.text).toMatch(/^:warning: node4 unreachable for 2 s/);
    duty.stop();
  });
});
