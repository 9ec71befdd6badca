import { describe, expect, it } from 'vitest';
import { CodeHours, gridOf, HOUR, OTHER } from './code-hours.js';

const H0 = Date.parse('2026-12-03T00:00:00Z');

describe('codes per hour', () => {
  it('counts each code in its clock hour over the last 24 hours, most frequent first', () => {
    const c = new CodeHours();
    c.add('API-REDIS-001', H0 + 10 * HOUR + 5);
    c.add('API-REDIS-001', H0 + 10 * HOUR + 50_000);
    c.add('WDG-DETECT-001', H0 + 23 * HOUR);
    const g = c.grid(H0 + 23 * HOUR + 1);
    expect(g.hours).toHaveLength(24);
    expect(g.hours[0]).toBe(H0);
    expect(g.rows.map((r) => [r.code, r.total, r.counts[10], r.counts[23]])).toEqual([['API-REDIS-001', 2, 2, 0], ['WDG-DETECT-001', 1, 0, 1]]);
  });

  it('forgets hours that left the window and codes with nothing left', () => {
    const c = new CodeHours();
    c.add('OLD-CODE-001', H0);
    c.add('NEW-CODE-001', H0 + 30 * HOUR);
    expect(c.grid(H0 + 30 * HOUR).rows.map((r) => r.code)).toEqual(['NEW-CODE-001']);
    expect(Object.keys(c.toState().counts)).toEqual(['NEW-CODE-001']);
  });

  it('bounded: past maxCodes, new codes count as other', () => {
    const c = new CodeHours(24, 2);
    for (const code of ['A-B-001', 'A-B-002', 'A-B-003', 'A-B-004']) c.add(code, H0);
    expect(c.grid(H0).rows.map((r) => [r.code, r.total])).toEqual([[OTHER, 2], ['A-B-001', 1], ['A-B-002', 1]]);
  });

  it('round-trips its state and builds the same grid from a list of lines', () => {
    const lines = [{ code: 'X-Y-001', time: H0 + HOUR }, { code: 'X-Y-001', time: H0 + 2 * HOUR }];
    const c = new CodeHours();
    for (const l of lines) c.add(l.code, l.time);
    expect(CodeHours.fromState(c.toState()).grid(H0 + 3 * HOUR)).toEqual(gridOf(lines, H0 + 3 * HOUR));
  });
});
