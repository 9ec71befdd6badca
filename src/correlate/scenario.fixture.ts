// Small builders for correlator scenarios: times in seconds after 11:20:00 UTC, signals by kind.
import type { Signal, SignalKind } from '../detect/types.js';
import type { Correlator } from './correlator.js';
import type { IncidentChange, NodeState, Observation } from './types.js';

export const T0 = Date.parse('2026-11-22T11:20:00Z');

/** Seconds after T0, in ms. */
export const at = (seconds: number): number => T0 + Math.round(seconds * 1000);

export function sig(node: string, seconds: number, kind: SignalKind, extra: Partial<Signal> = {}): Observation {
  return { type: 'signal', signal: { node, time: at(seconds), rule: kind, kind, message: `${kind} on ${node}`, ...extra } };
}

/** A heartbeat failure and a session failure, as a cut-off agent logs them. */
export function lost(node: string, seconds: number, errorClass = 'DeadlineExceeded', nodeId = `id-${node}`): Observation[] {
  return [
    sig(node, seconds, 'heartbeat-failed', { errorClass, nodeId }),
    sig(node, seconds + 0.001, 'session-failed', { errorClass, nodeId }),
  ];
}

/** A manager's "worker <id> was successfully registered" for a node. */
export function registered(manager: string, node: string, seconds: number): Observation {
  return sig(manager, seconds, 'worker-registered', { subject: `id-${node}`, subjectKind: 'node-id' });
}

export function state(node: string, seconds: number, from: NodeState, to: NodeState): Observation {
  return { type: 'node-state', time: at(seconds), node, nodeId: `id-${node}`, from, to };
}

export function move(service: string, from: string, to: string, seconds: number): Observation {
  return { type: 'task-move', time: at(seconds), service, from, to };
}

export function gossip(observer: string, seconds: number): Observation {
  return sig(observer, seconds, 'gossip-suspect', { subject: 'c5006b5f915a', subjectKind: 'gossip-id' });
}

/** Reconnect codes from `tasks` distinct tasks, spread evenly over `spread` seconds. */
export function reconnects(service: string, code: string, tasks: number, seconds: number, spread: number, nodes = ['node1', 'node2']): Observation[] {
  return Array.from({ length: tasks }, (_, k) => ({
    type: 'app-code' as const,
    time: at(seconds + (tasks > 1 ? (spread * k) / (tasks - 1) : 0)),
    node: nodes[k % nodes.length]!,
    service,
    taskId: `${service}-task-${k}`,
    code,
    reconnect: true,
  }));
}

export function feed(c: Correlator, obs: Observation[]): IncidentChange[] {
  return obs.flatMap((o) => c.add(o));
}
