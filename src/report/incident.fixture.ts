// A partition of node3 as the correlator reports it (times from capture A), for the report tests.
import type { Incident } from '../correlate/types.js';

export const T0 = Date.parse('2026-11-22T01:44:28.228Z');
const at = (s: number) => T0 + s * 1000;

export function partitionIncident(over: Partial<Incident> = {}): Incident {
  return {
    id: 'inc-1',
    kind: 'partition',
    nodes: ['node3'],
    start: at(0),
    end: at(60),
    evidence: [
      { node: 'node2', time: at(-1), rule: 'gossip-failed', message: 'Node c5006b5f915a change state NodeActive --> NodeFailed' },
      { node: 'node3', time: at(0), rule: 'heartbeat-failed', message: 'heartbeat to manager { 10.213.0.11:2377} failed' },
      { node: 'node3', time: at(12), rule: 'node-state', message: 'node3 ready → down' },
      { node: 'node1', time: at(14), rule: 'task-move', message: 'task of web moved node3 → node1' },
      { node: 'node3', time: at(45), rule: 'node-state', message: 'node3 down → ready' },
    ],
    evidenceCount: 9,
    tasksMoved: [{ service: 'web', from: 'node3', to: 'node1', count: 2 }],
    servicesAffected: ['web'],
    reconnects: [{ service: 'api', code: 'API-REDIS-001', tasks: 6, start: at(20), end: at(23) }],
    storm: false,
    summary: 'node3 lost its manager session at 01:44:28 (DeadlineExceeded), was marked Down at 01:44:40',
    errorClass: 'DeadlineExceeded',
    sessionLostAt: at(0),
    markedDownAt: at(12),
    recoveredAt: at(45),
    lastActivityAt: at(45),
    ...over,
  };
}

export const atSecond = at;
