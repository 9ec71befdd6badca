import { describe, it, expect } from 'vitest';
import { readCluster, type ServiceFacts } from './cluster.js';
import { nodeFit, type NodeFit } from './eligibility.js';
import { busyReason, policyReason, settleReason, tally } from './service-state.js';
import { apiTask, buildSnapshot, type ServiceDesc } from './snapshot-builder.js';

function service(d: Partial<ServiceDesc>): ServiceFacts {
  return readCluster(buildSnapshot([], [{ name: 'svc', replicas: 3, ...d }])).services[0]!;
}

describe('policyReason', () => {
  it('names why policy leaves a service alone', () => {
    expect(policyReason(service({ mode: 'global' }))).toBe('global service');
    expect(policyReason(service({ mode: 'replicated-job' }))).toBe('job');
    expect(policyReason(service({ mode: 'global-job' }))).toBe('job');
    expect(policyReason(service({ labels: { 'swarm-watchdog.rebalance': ' FALSE ' } }))).toBe('label swarm-watchdog.rebalance=false');
    expect(policyReason(service({ replicas: 0 }))).toBe('no replicas');
    expect(policyReason(service({ replicas: 1 }))).toBe('one replica (label swarm-watchdog.rebalance=true to include)');
    expect(policyReason(service({ replicas: 1, labels: { 'swarm-watchdog.rebalance': 'true' } }))).toBeNull();
    expect(policyReason(service({ updateState: 'updating' }))).toBeNull();
  });
});

describe('busyReason', () => {
  it('names what is changing the service right now', () => {
    for (const state of ['updating', 'paused', 'rollback_started', 'rollback_paused']) {
      expect(busyReason(service({ updateState: state }))).toBe(`update in progress (${state})`);
    }
    expect(busyReason(service({ labels: { 'swarm-watchdog.intent': '{"replicas":3,"k":1}' } })))
      .toBe('a watchdog rebalance is under way or was interrupted (label swarm-watchdog.intent)');
    expect(busyReason(service({ updateState: 'completed' }))).toBeNull();
    expect(busyReason(service({ updateState: 'rollback_completed' }))).toBeNull();
    expect(busyReason(service({ mode: 'global' }))).toBeNull();
  });
});

describe('tally and settleReason', () => {
  const s: ServiceDesc = { name: 'svc', replicas: 3, running: { n1: 2 } };
  function check(extra: ReturnType<typeof apiTask>[], nodes = [{ hostname: 'n1' }, { hostname: 'n2' }]) {
    const cluster = readCluster(buildSnapshot(nodes, [s], extra));
    const index = new Map(cluster.nodes.map((n, i) => [n.id, i]));
    const t = tally(cluster.tasksByService.get(cluster.services[0]!.id)!, index, cluster.nodes.length);
    const fit = nodeFit(cluster.services[0]!, cluster, new Map()) as NodeFit;
    return { t, reason: settleReason(cluster.services[0]!, t, fit) };
  }
  it('is settled when every replica runs on a node that keeps it; history does not count', () => {
    const r = check([apiTask(s, 'n2', 3), apiTask(s, 'n2', 3, 'shutdown', 'shutdown'), apiTask(s, 'n1', 9, 'failed', 'shutdown')]);
    expect(r.t.total).toBe(3);
    expect(r.reason).toBeNull();
  });
  it('is not settled while a task starts, stops or is missing', () => {
    expect(check([apiTask(s, 'n2', 3, 'starting')]).reason).toBe('not settled: 1 task pending');
    expect(check([apiTask(s, 'n2', 3, 'preparing'), apiTask(s, 'n2', 4, 'running', 'shutdown')]).reason).toBe('not settled: 1 task pending');
    expect(check([apiTask(s, 'n2', 3), apiTask(s, 'n2', 4, 'running', 'shutdown')]).reason).toBe('not settled: 1 task stopping');
    expect(check([]).reason).toBe('not settled: 2 of 3 replicas running');
  });
  it('is not settled with tasks on a node that is down or drained', () => {
    expect(check([apiTask(s, 'n2', 3)], [{ hostname: 'n1' }, { hostname: 'n2', state: 'down' } as never]).reason)
      .toBe('not settled: 1 task on unavailable nodes');
    expect(check([apiTask(s, 'gone', 3)]).reason).toBe('not settled: 1 task on unavailable nodes');
  });
});
