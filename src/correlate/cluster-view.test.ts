import { describe, expect, it } from 'vitest';
import { ClusterView } from './cluster-view.js';

const node = (id: string, name: string, state: string, leader = false) => ({
  ID: id,
  Description: { Hostname: name },
  Status: { State: state },
  ...(leader ? { ManagerStatus: { Leader: true } } : {}),
});
const task = (id: string, slot: number, nodeId: string, created: string, desired = 'running') => ({
  ID: id, ServiceID: 'svc1', Slot: slot, NodeID: nodeId, CreatedAt: created, DesiredState: desired, Status: { State: desired },
});
const services = [{ ID: 'svc1', Spec: { Name: 'web' } }];
const t0 = Date.parse('2026-11-22T01:44:00Z');

describe('cluster view', () => {
  it('reports node state changes and task reallocations between reconciles, once', () => {
    const view = new ClusterView(90_000);
    const nodes = [node('n1', 'node1', 'ready', true), node('n2', 'node2', 'ready'), node('n3', 'node3', 'ready')];
    const tasks = [task('a', 1, 'n1', '2026-11-22T01:00:00Z'), task('b', 2, 'n3', '2026-11-22T01:00:00Z')];
    expect(view.reconcile({ nodes, services, tasks }, t0)).toEqual([]);

    const down = [nodes[0], nodes[1], node('n3', 'node3', 'down')];
    const moved = [...tasks.slice(0, 1), task('b', 2, 'n3', '2026-11-22T01:00:00Z', 'shutdown'), task('c', 2, 'n2', '2026-11-22T01:44:35Z')];
    const obs = view.reconcile({ nodes: down, services, tasks: moved }, t0 + 40_000);
    expect(obs).toEqual([
      { type: 'node-state', time: t0 + 40_000, node: 'node3', nodeId: 'n3', from: 'ready', to: 'down' },
      { type: 'task-move', time: Date.parse('2026-11-22T01:44:35Z'), service: 'web', taskSlot: 2, from: 'node3', to: 'node2' },
    ]);
    expect(view.reconcile({ nodes: down, services, tasks: moved }, t0 + 45_000)).toEqual([]);
  });

  it('takes exact times from node events, and the reconcile does not repeat them', () => {
    const view = new ClusterView(90_000);
    const nodes = [node('n1', 'node1', 'ready', true), node('n3', 'node3', 'ready')];
    view.reconcile({ nodes, services, tasks: [] }, t0);
    const ev = view.event({ Type: 'node', Action: 'update', Actor: { ID: 'n3', Attributes: { name: 'node3', 'state.old': 'ready', 'state.new': 'down' } }, time: 0, timeNano: (t0 + 12_345) * 1e6 });
    expect(ev).toEqual([{ type: 'node-state', time: t0 + 12_345, node: 'node3', nodeId: 'n3', from: 'ready', to: 'down' }]);
    expect(view.reconcile({ nodes: [nodes[0], node('n3', 'node3', 'down')], services, tasks: [] }, t0 + 20_000)).toEqual([]);
  });

  it('reports a leader change, and on the first read only recent reallocations', () => {
    const view = new ClusterView(90_000);
    const tasks = [task('old', 1, 'n2', '2026-11-22T00:00:00Z', 'shutdown'), task('new', 1, 'n1', '2026-11-22T00:10:00Z')];
    const nodes = [node('n1', 'node1', 'ready', true), node('n2', 'node2', 'ready')];
    expect(view.reconcile({ nodes, services, tasks }, t0)).toEqual([]);
    const obs = view.reconcile({ nodes: [node('n1', 'node1', 'ready'), node('n2', 'node2', 'ready', true)], services, tasks }, t0 + 5000);
    expect(obs).toEqual([{ type: 'leader-change', time: t0 + 5000, from: 'node1', to: 'node2' }]);
  });
});
