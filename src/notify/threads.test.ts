import { describe, expect, it } from 'vitest';
import type { Incident } from '../correlate/types.js';
import { mergeIncident } from './threads.js';

const t = Date.parse('2026-11-22T11:20:58Z');
const incident = (over: Partial<Incident> = {}): Incident => ({
  id: 'a', kind: 'partition', nodes: ['node4'], start: t, end: null, evidence: [], evidenceCount: 0, tasksMoved: [], servicesAffected: [],
  reconnects: [], storm: false, summary: '', lastActivityAt: t, ...over,
});

describe('merging two agents\' views of one incident', () => {
  it('keeps what only the earlier saw, and an end already said', () => {
    const earlier = incident({ markedDownAt: t + 10_000, tasksMoved: [{ service: 'web', from: 'node4', to: 'node1', count: 2 }], end: t + 76_000 });
    const later = incident({ id: 'b', kind: 'leader-election', nodes: ['node4', 'node2'], storm: true, start: t + 5000, end: t + 82_000, tasksMoved: [{ service: 'web', from: 'node4', to: 'node1', count: 1 }] });
    const m = mergeIncident(earlier, later, { foreign: true });
    expect(m).toMatchObject({ kind: 'partition', nodes: ['node4'], storm: false, markedDownAt: t + 10_000, end: t + 76_000 });
    expect(m.tasksMoved).toEqual([{ service: 'web', from: 'node4', to: 'node1', count: 2 }]);
    expect(mergeIncident(incident(), later, { foreign: true }).end).toBe(t + 82_000);
  });
});
