import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../test/support/fake-clock.js';
import { CodeCounter } from '../correlate/code-counter.js';
import type { Incident } from '../correlate/types.js';
import { ConfigError } from '../errors.js';
import { createLogger } from '../log/logger.js';
import { appTotals, DailySummary, startSummarySchedule, SummaryStore } from './summary-schedule.js';
import type { Summary } from './summary.js';
import { captureLog } from '../../test/support/log-capture.js';

const T0 = Date.parse('2026-03-01T08:00:00Z');


function setup(dir = mkdtempSync(join(tmpdir(), 'summary-')), start = T0) {
  const out = captureLog();
  const clock = new FakeClock(start);
  const log = createLogger({ destination: out.destination, clock });
  const codes = new CodeCounter(3);
  const incidents: Incident[] = [];
  const store = new SummaryStore(join(dir, 'summary.json'), log);
  const daily = new DailySummary({ store, clock, log, appCounts: () => codes.snapshot(), resetAppCounts: () => codes.reset(), incidents: () => incidents, saveEveryMs: 60_000 });
  const app = (code: string, n = 1) => {
    for (let i = 0; i < n; i++) codes.add({ code, service: 'api', time: clock.now() });
  };
  return { dir, out, clock, log, codes, incidents, store, daily, app };
}

describe('DailySummary', () => {
  it('counts application codes and the agent\'s own codes of the period', async () => {
    const { daily, app, log, clock } = setup();
    app('API-REDIS-001', 3);
    log.log('WDG-SLACK-002', 'retrying');
    await clock.advance(3_600_000);
    const s = daily.current();
    expect(s.from).toBe('2026-03-01T08:00:00.000Z');
    expect(s.to).toBe('2026-03-01T09:00:00.000Z');
    expect(s.codes).toEqual([
      { code: 'API-REDIS-001', count: 3, change: null },
      { code: 'WDG-SLACK-002', count: 1, change: null },
    ]);
  });

  it('ends a period: posts, starts counting again and compares the next period with it', async () => {
    const { daily, app, log, clock, codes, out, store } = setup();
    app('API-REDIS-001', 5);
    app('API-ELASTIC-001', 2);
    log.log('WDG-SLACK-002', 'retrying');
    await clock.advance(86_400_000);
    const posted: Summary[] = [];
    const first = daily.endPeriod((s) => posted.push(s));
    expect(posted).toEqual([first]);
    expect(first.codes.map((r) => [r.code, r.count])).toEqual([['API-REDIS-001', 5], ['API-ELASTIC-001', 2], ['WDG-SLACK-002', 1]]);
    expect(codes.snapshot().codes).toEqual([]);
    expect(log.control.counts()).toEqual({ 'WDG-SUMMARY-001': 1 }); // its own line opens the next period
    expect(out.lines.at(-1)).toMatchObject({ code: 'WDG-SUMMARY-001', posted: true, incidents: 0 });
    expect(store.read(0).yesterday?.codes).toEqual([{ code: 'API-REDIS-001', count: 5 }, { code: 'API-ELASTIC-001', count: 2 }, { code: 'WDG-SLACK-002', count: 1 }]);

    app('API-REDIS-001', 7);
    app('API-PG-001');
    await clock.advance(86_400_000);
    const second = daily.endPeriod();
    expect(second.from).toBe('2026-03-02T08:00:00.000Z');
    expect(second.codes).toEqual([
      { code: 'API-REDIS-001', count: 7, change: 2 },
      { code: 'API-PG-001', count: 1, change: 'new' },
      { code: 'WDG-SUMMARY-001', count: 1, change: 'new' },
      { code: 'API-ELASTIC-001', count: 0, change: -2 },
      { code: 'WDG-SLACK-002', count: 0, change: -1 },
    ]);
    expect(out.lines.at(-1)).toMatchObject({ code: 'WDG-SUMMARY-001', posted: false });
  });

  it('keeps the counts when posting fails', () => {
    const { daily, app, codes } = setup();
    app('API-REDIS-001', 2);
    expect(() => daily.endPeriod(() => { throw new Error('no webhook'); })).toThrow('no webhook');
    expect(codes.snapshot().codes[0]).toMatchObject({ code: 'API-REDIS-001', count: 2 });
    expect(daily.current().from).toBe('2026-03-01T08:00:00.000Z');
  });

  it('survives a restart: period start, own counts (saved on a timer and on stop), yesterday', async () => {
    const first = setup();
    first.app('API-REDIS-001', 4);
    await first.clock.advance(86_400_000);
    first.daily.endPeriod();
    first.daily.start();
    first.log.log('WDG-SLACK-002', 'retrying');
    first.log.log('WDG-SLACK-002', 'retrying');
    await first.clock.advance(60_000); // the save timer
    const saved = JSON.parse(readFileSync(join(first.dir, 'summary.json'), 'utf8'));
    expect(saved.own).toEqual({ 'WDG-SUMMARY-001': 1, 'WDG-SLACK-002': 2 });
    first.log.log('WDG-SLACK-002', 'retrying');
    first.daily.stop();

    const second = setup(first.dir, T0 + 86_400_000 + 120_000);
    second.log.control.resetCounts(); // a fresh process: only what it logged itself
    second.log.log('WDG-CONFIG-001', 'loaded');
    const again = new DailySummary({ store: second.store, clock: second.clock, log: second.log, appCounts: () => second.codes.snapshot(), resetAppCounts: () => {}, incidents: () => [] });
    expect(again.periodStart).toBe(T0 + 86_400_000);
    expect(again.current().codes).toEqual([
      { code: 'WDG-SLACK-002', count: 3, change: 'new' },
      { code: 'WDG-CONFIG-001', count: 1, change: 'new' },
      { code: 'WDG-SUMMARY-001', count: 1, change: 'new' },
      { code: 'API-REDIS-001', count: 0, change: -4 },
    ]);
  });

  it('starts fresh on a corrupt state file, with a WDG-STATE-001 line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'summary-'));
    writeFileSync(join(dir, 'summary.json'), '{not json');
    const { daily, out } = setup(dir);
    expect(daily.periodStart).toBe(T0);
    expect(out.lines[0]).toMatchObject({ code: 'WDG-STATE-001' });
  });

  it('lists the incidents of the period, or of the last `since` ms', async () => {
    const { daily, incidents, clock } = setup();
    await clock.advance(3_600_000);
    const base = { kind: 'partition' as const, nodes: ['node3'], evidence: [], evidenceCount: 0, tasksMoved: [], servicesAffected: [], reconnects: [], storm: false, lastActivityAt: 0 };
    incidents.push({ ...base, id: 'old', start: T0 - 7_200_000, end: T0 - 3_600_000, summary: 'before the period' });
    incidents.push({ ...base, id: 'new', start: T0 + 60_000, end: null, summary: 'in the period' });
    expect(daily.current().incidents.map((i) => i.id)).toEqual(['new']);
    expect(daily.current(86_400_000).incidents.map((i) => i.id)).toEqual(['old', 'new']);
  });

  it('shows codes past the counter\'s bound as (other)', () => {
    const { app, daily } = setup();
    for (const code of ['A-B-001', 'A-B-002', 'A-B-003', 'A-B-004', 'A-B-005']) app(code);
    expect(daily.current().codes.find((r) => r.code === '(other)')).toEqual({ code: '(other)', count: 2, change: null });
    expect(appTotals({ codes: [], other: 0 })).toEqual([]);
  });
});

describe('startSummarySchedule', () => {
  const log = createLogger({ destination: captureLog().destination });

  it('refuses a bad expression or time zone as a config error', () => {
    expect(() => startSummarySchedule({ schedule: 'every day', timezone: 'UTC', post: () => {}, log })).toThrow(ConfigError);
    try {
      startSummarySchedule({ schedule: '0 8 * * *', timezone: 'Mars/Olympus', post: () => {}, log });
      expect.unreachable();
    } catch (err) {
      expect((err as ConfigError).problems).toEqual(['summary.timezone: "Mars/Olympus" is not a time zone (write it like UTC or Europe/Berlin)']);
    }
  });

  it('runs post on schedule and logs WDG-SUMMARY-002 when it throws', async () => {
    const out = captureLog();
    const logged = createLogger({ destination: out.destination });
    let runs = 0;
    const handle = startSummarySchedule({
      schedule: '* * * * * *', // every second
      timezone: 'Europe/Berlin',
      post: () => {
        runs++;
        throw new Error('slack down');
      },
      log: logged,
    });
    try {
      const end = Date.now() + 3000;
      while (runs === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    } finally {
      handle.stop();
    }
    expect(runs).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 20));
    expect(out.lines[0]).toMatchObject({ code: 'WDG-SUMMARY-002', msg: 'daily summary failed: slack down' });
  });
});
