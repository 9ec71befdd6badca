import { describe, it, expect } from 'vitest';
import { readCluster, type Cluster } from './cluster.js';
import { planRebalance } from './planner.js';
import { buildSnapshot, type NodeDesc, type ServiceDesc } from './snapshot-builder.js';
import { findService, serviceView } from './service-view.js';
import { simulateStep, stepsFor } from './steps.js';
import type { Placement, ServicePlan } from './types.js';

const three: NodeDesc[] = [{ hostname: 'node1' }, { hostname: 'node2' }, { hostname: 'node3' }];
const zones: NodeDesc[] = [
  { hostname: 'node1', labels: { zone: 'a' } },
  { hostname: 'node2', labels: { zone: 'a' } },
  { hostname: 'node3', labels: { zone: 'b' } },
];

function setup(nodes: NodeDesc[], services: ServiceDesc[]) {
  const snapshot = buildSnapshot(nodes, services);
  const cluster = readCluster(snapshot);
  const id = (host: string) => cluster.nodes.find((n) => n.hostname === host)!.id;
  const byId = (hosts: Record<string, number>): Placement =>
    Object.fromEntries(Object.entries(hosts).filter(([, n]) => n > 0).map(([h, n]) => [id(h), n]));
  const byHost = (p: Placement) =>
    Object.fromEntries(Object.entries(p).map(([i, n]) => [cluster.displayNames.get(i)!, n]).sort());
  const view = (name = services[0]!.name) => serviceView(cluster, findService(cluster, name)!)!;
  return { snapshot, cluster, byId, byHost, view };
}

function handPlan(cluster: Cluster, name: string, before: Placement, after: Placement): ServicePlan {
  const s = findService(cluster, name)!;
  return { serviceId: s.id, serviceName: name, replicas: s.replicas, before, after, moves: [], steps: [], skipped: null };
}

describe('simulateStep', () => {
  it('3/3/0 → +2/−2 → 2/2/2', () => {
    const t = setup(three, [{ name: 'web', replicas: 6, slots: { node1: [1, 3, 4], node2: [2, 5, 6] } }]);
    const o = simulateStep(t.view(), 2);
    expect(t.byHost(o.after)).toEqual({ node1: 2, node2: 2, node3: 2 });
    expect(o.sure).toBe(true);
  });

  it('4/2/0 → +2/−2 → 2/2/2', () => {
    const t = setup(three, [{ name: 'web', replicas: 6, running: { node1: 4, node2: 2 } }]);
    expect(t.byHost(simulateStep(t.view(), 2).after)).toEqual({ node1: 2, node2: 2, node3: 2 });
  });

  it('max 2 per node: 2/2/0 → +2/−2 → 1/2/1 (scale-down ignores the limit)', () => {
    const t = setup(three, [{ name: 'w', replicas: 4, maxReplicas: 2, slots: { node1: [1, 4], node2: [2, 3] } }]);
    expect(t.byHost(simulateStep(t.view(), 2).after)).toEqual({ node1: 1, node2: 2, node3: 1 });
  });

  it('zone spread: 3/0/3 → +1/−1 can leave zones 4/2 (scale-down ignores preferences)', () => {
    const t = setup(zones, [{ name: 'web', replicas: 6, spread: ['node.labels.zone'], slots: { node1: [1, 3, 5], node3: [2, 4, 6] } }]);
    const o = simulateStep(t.view(), 1);
    expect(t.byHost(o.after)).toEqual({ node1: 3, node2: 1, node3: 2 });
    expect(o.sure).toBe(false);
  });
});

describe('stepsFor', () => {
  it('uses one scale step when Swarm lands exactly on the target', () => {
    const t = setup(three, [{ name: 'web', replicas: 6, running: { node1: 3, node2: 3 } }]);
    const plan = handPlan(t.cluster, 'web', t.byId({ node1: 3, node2: 3 }), t.byId({ node1: 2, node2: 2, node3: 2 }));
    const r = stepsFor(plan, t.snapshot);
    expect(r.skipped).toBeNull();
    expect(r.steps).toEqual([
      { kind: 'scale', k: 2, replicas: 8, during: t.byId({ node1: 3, node2: 3, node3: 2 }), after: plan.after, sure: true },
    ]);
  });

  it('does not use +2/−2 for max 2 per node 2/2/0 when it would end 1/2/1', () => {
    const t = setup(three, [{ name: 'w', replicas: 4, maxReplicas: 2, slots: { node1: [1, 4], node2: [2, 3] } }]);
    const plan = handPlan(t.cluster, 'w', t.byId({ node1: 2, node2: 2 }), t.byId({ node1: 1, node2: 1, node3: 2 }));
    const r = stepsFor(plan, t.snapshot);
    expect(r.steps.some((s) => s.k === 2)).toBe(false);
    // One at a time cannot get there either: every second task on node3 is the one removed again.
    expect(r.skipped).toBe('no scale sequence reaches the target');
    // The planner targets what Swarm does reach: 1/2/1 with one +1/−1.
    const planned = planRebalance(t.snapshot).services[0]!;
    expect(t.byHost(planned.after)).toEqual({ node1: 1, node2: 2, node3: 1 });
    expect(planned.steps).toEqual([
      { kind: 'scale', k: 1, replicas: 5, during: t.byId({ node1: 2, node2: 2, node3: 1 }), after: planned.after, sure: true },
    ]);
  });

  it('skips the zone case when the removal would break the spread', () => {
    const t = setup(zones, [{ name: 'web', replicas: 6, spread: ['node.labels.zone'], slots: { node1: [1, 3, 5], node3: [2, 4, 6] } }]);
    const plan = handPlan(t.cluster, 'web', t.byId({ node1: 3, node3: 3 }), t.byId({ node1: 2, node2: 1, node3: 3 }));
    expect(stepsFor(plan, t.snapshot)).toEqual({ steps: [], skipped: 'no scale sequence reaches the target' });
    expect(planRebalance(t.snapshot).services[0]!.skipped).toBe('no scale sequence reaches the target');
  });

  it('moves the zone case when node1 holds the highest slot, flagged unsure (zone tie on scale-up)', () => {
    const t = setup(zones, [{ name: 'web', replicas: 6, spread: ['node.labels.zone'], slots: { node1: [1, 3, 6], node3: [2, 4, 5] } }]);
    const plan = planRebalance(t.snapshot).services[0]!;
    expect(plan.skipped).toBeNull();
    expect(t.byHost(plan.after)).toEqual({ node1: 2, node2: 1, node3: 3 });
    expect(plan.steps).toEqual([
      { kind: 'scale', k: 1, replicas: 7, during: t.byId({ node1: 3, node2: 1, node3: 3 }), after: plan.after, sure: false },
    ]);
  });

  it('falls back to single moves when +k/−k would miss', () => {
    // node3 runs many other tasks: the scheduler prefers node2 for the second and third new task.
    const t = setup(three, [
      { name: 'web', replicas: 6, running: { node1: 5, node2: 1 } },
      { name: 'busy', replicas: 10, running: { node3: 10 } },
    ]);
    expect(t.byHost(simulateStep(t.view('web'), 3).after)).not.toEqual({ node1: 2, node2: 2, node3: 2 });
    const plan = planRebalance(t.snapshot, { services: ['web'] }).services[0]!;
    expect(t.byHost(plan.after)).toEqual({ node1: 2, node2: 2, node3: 2 });
    expect(plan.steps.map((s) => [s.k, t.byHost(s.after)])).toEqual([
      [1, { node1: 4, node2: 1, node3: 1 }],
      [1, { node1: 3, node2: 2, node3: 1 }],
      [1, { node1: 2, node2: 2, node3: 2 }],
    ]);
    expect(stepsFor(plan, t.snapshot).steps).toEqual(plan.steps);
  });

  it('refuses a plan made on another placement, and passes a skipped plan through', () => {
    const t = setup(three, [{ name: 'web', replicas: 6, running: { node1: 3, node2: 3 } }]);
    const stale = handPlan(t.cluster, 'web', t.byId({ node1: 4, node2: 2 }), t.byId({ node1: 2, node2: 2, node3: 2 }));
    expect(stepsFor(stale, t.cluster).skipped).toBe('placement changed since the plan');
    expect(stepsFor({ ...stale, skipped: 'job' }, t.cluster)).toEqual({ steps: [], skipped: 'job' });
    expect(stepsFor({ ...stale, serviceId: 'gone' }, t.cluster).skipped).toBe('service no longer exists');
  });
});
