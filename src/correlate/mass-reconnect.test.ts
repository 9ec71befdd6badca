import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CodeCounter } from './code-counter.js';
import { MassReconnectDetector } from './mass-reconnect.js';
import type { AppCodeObservation, MassReconnectObservation } from './types.js';

const code = (taskId: string, time: number, extra: Partial<AppCodeObservation> = {}): AppCodeObservation => ({
  type: 'app-code', time, node: 'node1', service: 'api', taskId, code: 'API-REDIS-001', reconnect: true, ...extra,
});

function run(d: MassReconnectDetector, obs: AppCodeObservation[]): MassReconnectObservation[] {
  return obs.flatMap((o) => d.add(o)?.burst ?? []);
}

describe('mass reconnect', () => {
  it('five distinct tasks within the window are a mass reconnect; it grows with each new task', () => {
    const d = new MassReconnectDetector();
    const out = run(d, Array.from({ length: 7 }, (_, k) => code(`t${k}`, k * 1_000, { node: k % 2 ? 'node2' : 'node1' })));
    expect(out.map((b) => b.tasks)).toEqual([5, 6, 7]);
    expect(out[2]).toEqual({ type: 'mass-reconnect', time: 0, end: 6_000, service: 'api', code: 'API-REDIS-001', tasks: 7, nodes: ['node1', 'node2'] });
  });

  it('says which reconnect started the burst: the first to reach the bar, and the first after a quiet window', () => {
    const d = new MassReconnectDetector({ window: 10_000 });
    const started = (obs: AppCodeObservation[]) => obs.map((o) => d.add(o)?.started);
    expect(started(Array.from({ length: 6 }, (_, k) => code(`t${k}`, k * 1_000)))).toEqual([undefined, undefined, undefined, undefined, true, false]);
    expect(started(Array.from({ length: 5 }, (_, k) => code(`u${k}`, 100_000 + k * 1_000)))).toEqual([undefined, undefined, undefined, undefined, true]);
  });

  it('the same task reconnecting again is not another task', () => {
    const d = new MassReconnectDetector();
    expect(run(d, Array.from({ length: 20 }, (_, k) => code(`t${k % 4}`, k * 100)))).toEqual([]);
  });

  it('tasks spread wider than the window are not mass', () => {
    const d = new MassReconnectDetector({ window: 60_000 });
    expect(run(d, Array.from({ length: 10 }, (_, k) => code(`t${k}`, k * 16_000)))).toEqual([]);
  });

  it('codes that do not mean "reconnected" are ignored', () => {
    const d = new MassReconnectDetector();
    expect(run(d, Array.from({ length: 10 }, (_, k) => code(`t${k}`, k, { reconnect: false })))).toEqual([]);
  });

  it('a share of the service: 3 of 6 tasks is 50 %, once the task count is known', () => {
    const obs = Array.from({ length: 3 }, (_, k) => code(`t${k}`, k * 1_000));
    expect(run(new MassReconnectDetector(), obs)).toEqual([]);
    const d = new MassReconnectDetector({ minPercent: 50 });
    d.setTaskCount('api', 6);
    expect(run(d, obs).map((b) => b.tasks)).toEqual([3]);
  });

  it('one task is never mass, whatever its share', () => {
    const d = new MassReconnectDetector({ minPercent: 50 });
    d.setTaskCount('api', 1);
    expect(run(d, [code('t0', 0)])).toEqual([]);
  });

  it('services and codes are counted apart', () => {
    const d = new MassReconnectDetector();
    const obs = Array.from({ length: 8 }, (_, k) => code(`t${k}`, k, k % 2 ? { service: 'web' } : { code: 'API-ELASTIC-001' }));
    expect(run(d, obs)).toEqual([]);
  });

  it('a restored detector continues the burst where it was', () => {
    const first = new MassReconnectDetector();
    run(first, Array.from({ length: 5 }, (_, k) => code(`t${k}`, k)));
    const again = MassReconnectDetector.fromState(JSON.parse(JSON.stringify(first.toState())));
    expect(again.add(code('t5', 10))).toMatchObject({ burst: { tasks: 6 }, started: false });
  });

  it('a burst is reported exactly when the distinct tasks in some window reach minTasks', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 5_000 })), { maxLength: 40 }), (raw) => {
        let time = 0;
        const obs = raw.map(([task, gap]) => code(`t${task}`, (time += gap)));
        const out = run(new MassReconnectDetector({ minTasks: 5, window: 10_000 }), obs);
        // the reference: any prefix whose last 10 s hold 5 distinct tasks
        const reached = obs.some((o, k) => new Set(obs.slice(0, k + 1).filter((p) => p.time >= o.time - 10_000).map((p) => p.taskId)).size >= 5);
        expect(out.length > 0).toBe(reached);
      }),
      { numRuns: 300 },
    );
  });
});

describe('code counter', () => {
  it('counts every code by code, most frequent first, with first/last time and services', () => {
    const c = new CodeCounter();
    c.add({ code: 'API-REDIS-001', service: 'api', time: 5 });
    c.add({ code: 'API-REDIS-001', service: 'worker', time: 1 });
    c.add({ code: 'WEB-HTTP-002', service: 'web', time: 3 });
    expect(c.snapshot()).toEqual({
      codes: [
        { code: 'API-REDIS-001', count: 2, first: 1, last: 5, services: ['api', 'worker'] },
        { code: 'WEB-HTTP-002', count: 1, first: 3, last: 3, services: ['web'] },
      ],
      other: 0,
    });
    c.reset();
    expect(c.snapshot()).toEqual({ codes: [], other: 0 });
  });

  it('past maxCodes, new codes only count as other', () => {
    const c = new CodeCounter(3, 2);
    for (let k = 0; k < 10; k++) c.add({ code: `X-Y-${k}`, service: `s${k}`, time: k });
    for (let k = 0; k < 5; k++) c.add({ code: 'X-Y-0', service: `s${k}`, time: k });
    const s = c.snapshot();
    expect(s.codes.map((x) => x.code)).toEqual(['X-Y-0', 'X-Y-1', 'X-Y-2']);
    expect(s.other).toBe(7);
    expect(s.codes[0]!.services).toHaveLength(2);
    expect(CodeCounter.fromState(JSON.parse(JSON.stringify(c.toState())), 3, 2).snapshot()).toEqual(s);
  });
});
