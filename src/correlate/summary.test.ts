import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addEvidence } from './evidence.js';
import { incidentToJson } from './incident-json.js';
import { backend, summarize } from './summary.js';
import type { EvidenceLine, Incident } from './types.js';

const t = (hhmmss: string) => Date.parse(`2026-11-22T${hhmmss}Z`);

function incident(over: Partial<Incident> = {}): Incident {
  return {
    id: 'i1', kind: 'partition', nodes: ['node3'], start: t('11:20:58'), end: t('11:21:40'), evidence: [], evidenceCount: 0,
    tasksMoved: [], servicesAffected: [], reconnects: [], storm: false, summary: '', lastActivityAt: t('11:21:40'), ...over,
  };
}

describe('summary sentence', () => {
  it('reads like the operator story, built from the data', () => {
    const i = incident({
      sessionLostAt: t('11:20:58'),
      errorClass: 'DeadlineExceeded',
      markedDownAt: t('11:21:10'),
      tasksMoved: [
        { service: 'web', from: 'node3', to: 'node1', count: 3 },
        { service: 'api', from: 'node3', to: 'node2', count: 3 },
        { service: 'worker', from: 'node3', to: 'node1', count: 2 },
      ],
      reconnects: [{ service: 'api', code: 'API-REDIS-001', tasks: 25, start: t('11:21:15'), end: t('11:21:19') }],
    });
    expect(summarize(i)).toBe(
      'node3 lost its manager session at 11:20:58 (DeadlineExceeded) and was marked Down at 11:21:10; 8 tasks of 3 services moved to node1/node2; 25 tasks reconnected to Redis (API-REDIS-001) within 4 s',
    );
  });

  it('leaves out what is not known, and says when it is still going on', () => {
    expect(summarize(incident({ markedDownAt: t('11:21:10'), end: null }))).toBe('node3 was marked Down at 11:21:10 (ongoing)');
    expect(summarize(incident())).toBe('node3 lost contact with the managers at 11:20:58');
  });

  it('speaks of several nodes in the plural', () => {
    const two = incident({ nodes: ['node8', 'node9'], sessionLostAt: t('11:20:58'), markedDownAt: t('11:21:10'), recoveredAt: t('11:21:40') });
    expect(summarize(two)).toBe('node8 and node9 lost their manager sessions at 11:20:58, were marked Down at 11:21:10 and were back at 11:21:40');
  });

  it('names each kind in its own words', () => {
    expect(summarize(incident({ kind: 'daemon-restart', daemonStartedAt: t('11:21:03') }))).toBe('The Docker daemon on node3 started at 11:21:03');
    expect(summarize(incident({ kind: 'flapping', flaps: 4, nodes: ['node2'] }))).toBe(
      'node2 lost its manager session 4 times within the flap window (last at 11:21:40) and was never marked Down',
    );
    expect(summarize(incident({ kind: 'leader-election', nodes: ['node1', 'node2', 'node3', 'node4', 'node5'], leader: { from: 'node1', to: 'node2' }, storm: true }))).toBe(
      'The Raft managers held a leader election at 11:20:58: the leader moved from node1 to node2; 5 nodes affected (node1, node2, node3 and 2 more); storm: too many nodes unhealthy at once, rebalancing holds',
    );
    expect(
      summarize(incident({ kind: 'mass-reconnect-only', nodes: [], reconnects: [
        { service: 'api', code: 'API-REDIS-001', tasks: 12, start: t('11:21:00'), end: t('11:21:02') },
        { service: 'api', code: 'API-ELASTIC-001', tasks: 7, start: t('11:21:00'), end: t('11:21:00') },
      ] })),
    ).toBe('12 tasks reconnected to Redis (API-REDIS-001) within 2 s and 7 to Elasticsearch (API-ELASTIC-001) within 1 s; no node was in trouble (a backend restart or a network blip?)');
  });

  it('knows a few backends by their code and title-cases the rest', () => {
    expect(['API-REDIS-001', 'API-ELASTIC-001', 'BILLING-MONGO-003', 'API-VAULT-001', 'ODD'].map(backend)).toEqual(['Redis', 'Elasticsearch', 'MongoDB', 'Vault', 'Odd']);
  });
});

describe('incident JSON', () => {
  it('is the diagnose schema with ISO times, extended; absent facts are left out', () => {
    const i = incident({ end: null, evidence: [{ node: 'node3', time: t('11:20:58'), rule: 'heartbeat-failed', message: 'heartbeat to manager failed' }], markedDownAt: t('11:21:10') });
    const json = incidentToJson(i);
    expect(Object.keys(json).slice(0, 5)).toEqual(['kind', 'nodes', 'start', 'end', 'evidence']);
    expect(json).toMatchObject({
      kind: 'partition',
      nodes: ['node3'],
      start: '2026-11-22T11:20:58.000Z',
      end: null,
      evidence: [{ node: 'node3', time: '2026-11-22T11:20:58.000Z', rule: 'heartbeat-failed', message: 'heartbeat to manager failed' }],
      markedDownAt: '2026-11-22T11:21:10.000Z',
    });
    expect('recoveredAt' in json).toBe(false);
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });
});

describe('evidence', () => {
  const line = (rule: string, time: number): EvidenceLine => ({ node: 'n', time, rule, message: `${rule}@${time}` });

  it('keeps the first and the last line of each rule, in time order', () => {
    const list: EvidenceLine[] = [];
    for (const time of [5, 1, 9, 3, 7]) addEvidence(list, line('session-failed', time), 50);
    addEvidence(list, line('gossip-suspect', 4), 50);
    expect(list.map((l) => l.message)).toEqual(['session-failed@1', 'gossip-suspect@4', 'session-failed@9']);
  });

  it('never holds more than the cap, and a new rule still finds room while some rule has two lines', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 1_000 })), { maxLength: 300 }), fc.integer({ min: 1, max: 20 }), (raw, cap) => {
        const list: EvidenceLine[] = [];
        for (const [r, time] of raw) {
          const before = new Set(list.map((l) => l.rule));
          const roomy = list.length < cap || list.length > before.size;
          addEvidence(list, line(`r${r}`, time), cap);
          if (!before.has(`r${r}`) && roomy) expect(list.some((l) => l.rule === `r${r}`)).toBe(true);
        }
        expect(list.length).toBeLessThanOrEqual(cap);
        expect(list.map((l) => l.time)).toEqual([...list.map((l) => l.time)].sort((a, b) => a - b));
        for (const rule of new Set(list.map((l) => l.rule))) expect(list.filter((l) => l.rule === rule).length).toBeLessThanOrEqual(2);
      }),
    );
  });
});
