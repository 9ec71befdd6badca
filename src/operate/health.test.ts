import { describe, expect, it } from 'vitest';
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
});
