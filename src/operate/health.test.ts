import { describe, expect, it } from 'vitest';
import { Redactor } from '../log/redact.js';
import { Health } from './health.js';

describe('health', () => {
  it('is OK only when every dependency is OK, and keeps StatusTime while the status holds', () => {
    const h = new Health();
    h.set('docker', 'OK', Date.parse('2026-11-22T10:00:00Z'));
    h.set('journal', 'OK', Date.parse('2026-11-22T10:00:00Z'));
    expect(h.ok()).toBe(true);
    h.set('docker', 'ERROR', Date.parse('2026-11-22T10:01:00Z'), 'connect ENOENT /var/run/docker.sock');
    h.set('docker', 'ERROR', Date.parse('2026-11-22T10:02:00Z'), 'still down');
    expect(h.ok()).toBe(false);
    expect(h.report()).toEqual([
      { Name: 'docker', Status: 'ERROR', StatusTime: '2026-11-22T10:01:00.000Z', Detail: 'still down' },
      { Name: 'journal', Status: 'OK', StatusTime: '2026-11-22T10:00:00.000Z' },
    ]);
  });

  it('LAGGING is late, not failing: still ok (200); any failing status is not', () => {
    const h = new Health();
    h.set('docker', 'OK', 0);
    h.set('journal', 'LAGGING', 0, 'reading entries 90 s old');
    expect(h.ok()).toBe(true);
    for (const failing of ['ERROR', 'TIMEOUT', 'UNREACHABLE'] as const) {
      h.set('peers', failing, 0);
      expect(h.ok()).toBe(false);
    }
  });

  it('redacts every Detail like the logs (known secrets and webhook shapes)', () => {
    const redactor = new Redactor();
    redactor.setSecrets(['http://10.0.0.9:8080/hook/s3cret']);
    const h = new Health((text) => redactor.redact(text));
    h.set('slack-main', 'ERROR', 0, 'Failed to parse URL from https://hooks.slack.com/services/T0/B0/xyz; 3 pending');
    h.set('slack-canWait', 'ERROR', 0, 'fetch failed: http://10.0.0.9:8080/hook/s3cret');
    const shown = JSON.stringify(h.report());
    expect(shown).not.toContain('xyz');
    expect(shown).not.toContain('s3cret');
    expect(h.report().map((e) => e.Detail)).toEqual(['fetch failed: [REDACTED]', 'Failed to parse URL from [REDACTED] 3 pending']);
  });
});
