import { describe, expect, it } from 'vitest';
import { INTENT_LABEL, PREVIOUS_SPEC_LABEL, orphanAfterMs, previousSpec, readIntent, sameIntent, withIntent, withoutIntent, withReplicas, writeWindowMs, type Intent } from './intent.js';

const intent: Intent = { planId: 'p1', replicas: 6, k: 2, startedAt: '2026-01-01T00:00:00.000Z', by: 'node1' };

describe('intent label', () => {
  it('round-trips, and anything we did not write is no intent (never acted on)', () => {
    expect(readIntent(withIntent({}, intent, undefined))).toEqual(intent);
    for (const raw of ['', '{', 'null', '[]', '{"replicas":"6","k":2}', JSON.stringify({ ...intent, k: 0 }), JSON.stringify({ ...intent, replicas: -1 }), JSON.stringify({ ...intent, startedAt: 'soon' }), JSON.stringify({ replicas: 6, k: 2 })]) {
      expect(readIntent({ [INTENT_LABEL]: raw }), raw).toBeUndefined();
    }
    expect(readIntent(null)).toBeUndefined();
  });

  it('the same move is named by plan, start and agent', () => {
    expect(sameIntent(intent, { ...intent })).toBe(true);
    expect(sameIntent(intent, { ...intent, startedAt: '2026-01-01T00:00:01.000Z' })).toBe(false);
    expect(sameIntent(intent, { ...intent, by: 'node2' })).toBe(false);
  });

  it('keeps the last real deployment as the previous spec, never one of our own steps, never nested', () => {
    const deploy = { Name: 'web', Labels: { team: 'a', [PREVIOUS_SPEC_LABEL]: 'older' }, Mode: { Replicated: { Replicas: 6 } } };
    const labels = withIntent({ team: 'a' }, intent, deploy);
    expect(previousSpec(labels)).toEqual({ Name: 'web', Labels: { team: 'a' }, Mode: { Replicated: { Replicas: 6 } } });
    const ourStep = { Name: 'web', Labels: { [INTENT_LABEL]: JSON.stringify(intent) } };
    expect(withIntent({ [PREVIOUS_SPEC_LABEL]: labels[PREVIOUS_SPEC_LABEL]! }, intent, ourStep)[PREVIOUS_SPEC_LABEL]).toBe(labels[PREVIOUS_SPEC_LABEL]);
    expect(previousSpec({ [PREVIOUS_SPEC_LABEL]: Buffer.from('[1]').toString('base64') })).toBeUndefined();
    expect(previousSpec({ [PREVIOUS_SPEC_LABEL]: 'not base64 json' })).toBeUndefined();
  });

  it('removing the intent keeps every other label; a new replica count keeps the rest of the spec', () => {
    expect(withoutIntent({ a: '1', [INTENT_LABEL]: '{}' })).toEqual({ a: '1' });
    expect(withReplicas({ Name: 'web', UpdateConfig: { Parallelism: 1 }, Mode: { Replicated: { Replicas: 2 } } }, 5)).toEqual({ Name: 'web', UpdateConfig: { Parallelism: 1 }, Mode: { Replicated: { Replicas: 5 } } });
  });

  it("an intent is an orphan only after its run's whole write window, its last write and clock skew", () => {
    expect(writeWindowMs(180_000, 10_000)).toBe(260_000);
    expect(orphanAfterMs(180_000, 10_000)).toBeGreaterThan(writeWindowMs(180_000, 10_000) + 10_000);
  });
});
