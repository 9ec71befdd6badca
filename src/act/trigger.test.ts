import { describe, expect, it } from 'vitest';
import type { Incident } from '../correlate/types.js';
import { shouldRebalance, updateReadySince } from './trigger.js';

const t0 = 1_000_000;
const inc = (over: Partial<Incident>): Incident => ({
  id: 'p1', kind: 'partition', nodes: ['node3'], start: t0, end: null, evidence: [], evidenceCount: 0, tasksMoved: [{ service: 'web', from: 'node3', to: 'node1', count: 2 }],
  servicesAffected: ['web'], reconnects: [], storm: false, summary: '', lastActivityAt: t0, ...over,
});
const base = { stabilizationMs: 60_000, flapWindowMs: 600_000, done: new Set<string>() };

describe('auto-rebalance trigger', () => {
  it('acts once the healed node has been Ready for the stabilisation window', () => {
    const incidents = [inc({ recoveredAt: t0 + 40_000 })];
    expect(shouldRebalance({ ...base, now: t0 + 50_000, incidents, readySince: { node3: t0 + 40_000 } })).toEqual({ act: false, waiting: { incident: 'p1', reason: 'node3 not Ready for 60 s yet' } });
    expect(shouldRebalance({ ...base, now: t0 + 100_000, incidents, readySince: { node3: t0 + 40_000 } })).toMatchObject({ act: true, incident: { id: 'p1' } });
    expect(shouldRebalance({ ...base, now: t0 + 100_000, incidents, readySince: { node3: t0 + 40_000 }, done: new Set(['p1']) })).toEqual({ act: false, waiting: undefined });
  });

  it('holds during a storm and for a node that flapped; ignores incidents that moved nothing', () => {
    const ready = { node3: t0 };
    const now = t0 + 120_000;
    expect(shouldRebalance({ ...base, now, incidents: [inc({ storm: true })], readySince: ready })).toMatchObject({ act: false, waiting: { reason: /storm gate/ } });
    const flap = inc({ id: 'f1', kind: 'flapping', start: t0 + 10_000, tasksMoved: [] });
    expect(shouldRebalance({ ...base, now, incidents: [inc({}), flap], readySince: ready })).toMatchObject({ act: false, waiting: { reason: 'node3 flapped in the last 10 min' } });
    expect(shouldRebalance({ ...base, now, incidents: [inc({ tasksMoved: [] })], readySince: ready })).toEqual({ act: false, waiting: undefined });
  });

  it('tracks Ready-since across node reads, resetting on any break', () => {
    const node = (state: string, availability = 'active') => [{ ID: 'n3', Description: { Hostname: 'node3' }, Status: { State: state }, Spec: { Availability: availability } }];
    let r = updateReadySince({}, node('ready'), 10);
    r = updateReadySince(r, node('ready'), 20);
    expect(r.node3).toBe(10);
    r = updateReadySince(r, node('down'), 30);
    expect(r.node3).toBeUndefined();
    r = updateReadySince(r, node('ready', 'drain'), 40);
    expect(r.node3).toBeUndefined();
    expect(updateReadySince(r, node('ready'), 50).node3).toBe(50);
  });
});
