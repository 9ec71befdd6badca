import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../test/support/fake-clock.js';
import { FloodGate } from './flood.js';
import { createLogger } from './logger.js';
import { captureLog } from '../../test/support/log-capture.js';


describe('FloodGate', () => {
  it('passes max lines per window, suppresses the rest, reports when the window ends', () => {
    const gate = new FloodGate({ max: 3, windowMs: 60_000 });
    const passed = [0, 1, 2, 3, 4].map((t) => gate.admit('A', t * 1000).pass);
    expect(passed).toEqual([true, true, true, false, false]);
    expect(gate.nextDue()).toBe(60_000);
    expect(gate.expire(59_999)).toEqual([]);
    expect(gate.expire(60_000)).toEqual([{ repeatedCode: 'A', count: 5, suppressed: 2, windowMs: 60_000, since: 0 }]);
    expect(gate.nextDue()).toBeUndefined();
    expect(gate.admit('A', 60_001).pass).toBe(true);
  });

  it('reports a due window lazily on the next line of the code, before that line', () => {
    const gate = new FloodGate({ max: 1, windowMs: 1000 });
    gate.admit('A', 0);
    gate.admit('A', 10);
    const next = gate.admit('A', 1000);
    expect(next).toEqual({ pass: true, report: { repeatedCode: 'A', count: 2, suppressed: 1, windowMs: 1000, since: 0 } });
    expect(gate.expire(5000)).toEqual([]); // already reported
  });

  it('keeps codes apart and reports nothing for a window that stayed under the max', () => {
    const gate = new FloodGate({ max: 2, windowMs: 1000 });
    for (let i = 0; i < 5; i++) gate.admit('A', i);
    gate.admit('B', 0);
    gate.admit('B', 1);
    expect(gate.admit('B', 2).pass).toBe(false);
    expect(gate.admit('C', 3).pass).toBe(true);
    expect(gate.expire(2000).map((r) => [r.repeatedCode, r.suppressed])).toEqual([['A', 3], ['B', 1]]);
  });

  it('new limits apply to open windows', () => {
    const gate = new FloodGate({ max: 5, windowMs: 60_000 });
    for (let i = 0; i < 3; i++) gate.admit('A', i);
    gate.setLimits({ max: 2, windowMs: 10_000 });
    expect(gate.admit('A', 3).pass).toBe(false);
    expect(gate.expire(10_000)).toEqual([{ repeatedCode: 'A', count: 4, suppressed: 1, windowMs: 10_000, since: 0 }]);
  });

  it('property: written + suppressed = logged, and never more than max written per window', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.array(fc.tuple(fc.constantFrom('A', 'B'), fc.integer({ min: 0, max: 500 })), { maxLength: 200 }), (max, steps) => {
        const gate = new FloodGate({ max, windowMs: 1000 });
        let t = 0;
        let written = 0;
        let suppressed = 0;
        const perWindow = new Map<string, number>();
        for (const [code, dt] of steps) {
          t += dt;
          const { pass, report } = gate.admit(code, t);
          if (report) suppressed += report.suppressed;
          if (pass) {
            written++;
            const key = `${code}@${Math.floor(t / 1000)}`;
            perWindow.set(key, (perWindow.get(key) ?? 0) + 1);
          }
        }
        for (const r of gate.expire(t + 1000)) suppressed += r.suppressed;
        expect(written + suppressed).toBe(steps.length);
      }),
    );
  });
});

describe('logger flood protection', () => {
  it('writes floodMax lines of a code, then one WDG-LOG-001 line when the window ends (timer)', async () => {
    const out = captureLog();
    const clock = new FakeClock(1_000_000);
    const log = createLogger({ destination: out.destination, clock, flood: { max: 3, windowMs: 60_000 } });
    for (let i = 0; i < 10; i++) log.log('WDG-SLACK-002', `retry ${i}`);
    log.log('WDG-SLACK-001', 'delivered'); // another code is not affected
    expect(out.lines.map((l) => l.msg)).toEqual(['retry 0', 'retry 1', 'retry 2', 'delivered']);
    await clock.advance(59_999);
    expect(out.lines).toHaveLength(4);
    await clock.advance(1);
    expect(out.lines[4]).toMatchObject({
      level: 'warning',
      code: 'WDG-LOG-001',
      repeatedCode: 'WDG-SLACK-002',
      count: 10,
      suppressed: 7,
      windowMs: 60_000,
      msg: 'WDG-SLACK-002 repeated 10 times in 60 s (7 lines not written)',
    });
    log.log('WDG-SLACK-002', 'after the window');
    expect(out.lines.at(-1)?.msg).toBe('after the window');
  });

  it('writes the report lazily before the next line when no timer fired', () => {
    const out = captureLog();
    let now = 0;
    const clock = { now: () => now, setTimeout: () => ({ cancel() {} }) }; // timers never fire
    const log = createLogger({ destination: out.destination, clock, flood: { max: 1, windowMs: 1000 } });
    log.log('WDG-SLACK-002', 'a');
    log.log('WDG-SLACK-002', 'b');
    now = 1500;
    log.log('WDG-SLACK-002', 'c');
    expect(out.lines.map((l) => [l.code, l.msg])).toEqual([
      ['WDG-SLACK-002', 'a'],
      ['WDG-LOG-001', 'WDG-SLACK-002 repeated 2 times in 1 s (1 lines not written)'],
      ['WDG-SLACK-002', 'c'],
    ]);
  });

  it('does not limit debug lines, and children share the windows', () => {
    const out = captureLog();
    const clock = new FakeClock();
    const log = createLogger({ destination: out.destination, clock, level: 'debug', flood: { max: 2, windowMs: 1000 } });
    const child = log.child({ component: 'slack' });
    for (let i = 0; i < 5; i++) log.debug('trace');
    log.log('WDG-SLACK-002', 'root');
    child.log('WDG-SLACK-002', 'child');
    child.log('WDG-SLACK-002', 'suppressed');
    expect(out.lines.map((l) => l.msg)).toEqual(['trace', 'trace', 'trace', 'trace', 'trace', 'root', 'child']);
  });

  it('limits change at runtime through control.flood', () => {
    const out = captureLog();
    const log = createLogger({ destination: out.destination, clock: new FakeClock(), flood: { max: 50, windowMs: 1000 } });
    log.control.flood.setLimits({ max: 1, windowMs: 1000 });
    log.log('WDG-SLACK-002', 'one');
    log.log('WDG-SLACK-002', 'two');
    expect(out.lines).toHaveLength(1);
  });
});

describe('logger code counts', () => {
  it('counts every code logged, written or not (flooded, below the level), and resets', async () => {
    const out = captureLog();
    const clock = new FakeClock();
    const log = createLogger({ destination: out.destination, clock, level: 'error', flood: { max: 1, windowMs: 1000 } });
    log.log('WDG-CONFIG-001', 'below the level');
    log.log('WDG-CONFIG-002', 'one');
    log.child({ a: 1 }).log('WDG-CONFIG-002', 'two (flooded)');
    log.debug('no code, not counted');
    await clock.advance(1000); // the report line is a code too, counted even when its level is filtered
    expect(log.control.counts()).toEqual({ 'WDG-CONFIG-001': 1, 'WDG-CONFIG-002': 2, 'WDG-LOG-001': 1 });
    log.control.resetCounts({ 'WDG-CLI-001': 4, 'WDG-CONFIG-001': 0 });
    log.log('WDG-CLI-001', 'bug');
    expect(log.control.counts()).toEqual({ 'WDG-CLI-001': 5 });
    log.control.resetCounts();
    expect(log.control.counts()).toEqual({});
  });
});
