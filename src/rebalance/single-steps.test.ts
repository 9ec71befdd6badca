import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { propertyRuns } from '../../test/support/property-runs.js';
import { readCluster } from './cluster.js';
import { planTargets } from './planner.js';
import { singleSteps } from './single-steps.js';
import { buildSnapshot, type NodeDesc, type ServiceDesc } from './snapshot-builder.js';
import { findService, serviceView } from './service-view.js';
import { runToEnd } from './slices.js';
import { stepByStep } from './steps.js';

// Services whose one-step-at-a-time path is long: many replicas piled on few nodes, some nodes
// empty, paused, limited by max replicas, CPU or a host port, zones to spread over.
const world = fc.record({
  nodes: fc.array(
    fc.record({ zone: fc.constantFrom('a', 'b', 'c'), cpus: fc.integer({ min: 1, max: 16 }), pause: fc.constantFrom(false, false, false, false, false, true) }),
    { minLength: 2, maxLength: 12 },
  ),
  replicas: fc.integer({ min: 2, max: 40 }),
  picks: fc.array(fc.nat(), { minLength: 40, maxLength: 40 }),
  skew: fc.integer({ min: 1, max: 4 }),
  spread: fc.boolean(),
  maxReplicas: fc.constantFrom(0, 0, 2, 5),
  cpus: fc.constantFrom(0, 0, 0.5, 1),
  port: fc.constantFrom(false, false, false, false, false, false, false, false, false, true),
  slotGap: fc.nat({ max: 5 }),
});

type World = typeof world extends fc.Arbitrary<infer T> ? T : never;

function build(w: World) {
  const nodes: NodeDesc[] = w.nodes.map((n, i) => ({ hostname: `n${i}`, labels: { zone: n.zone }, cpus: n.cpus, ...(n.pause ? { availability: 'pause' as const } : {}) }));
  const slots: Record<string, number[]> = {};
  // Replicas on the first nodes only (the rest came back empty); slots with a gap or two.
  const homes = Math.max(1, Math.ceil(nodes.length / w.skew));
  for (let r = 0; r < w.replicas; r++) {
    const host = `n${w.picks[r]! % homes}`;
    (slots[host] ??= []).push(r + 1 + (r >= w.replicas - 2 ? w.slotGap : 0));
  }
  const service: ServiceDesc = {
    name: 'pool', replicas: w.replicas, slots,
    ...(w.spread ? { spread: ['node.labels.zone'] } : {}),
    ...(w.maxReplicas ? { maxReplicas: w.maxReplicas } : {}),
    ...(w.cpus ? { cpus: w.cpus } : {}),
    ...(w.port ? { hostPorts: [8080] } : {}),
  };
  return buildSnapshot(nodes, [service]);
}

describe('singleSteps', () => {
  it('gives the same steps as simulating each step in full', () => {
    let walked = 0;
    fc.assert(
      fc.property(world, (w) => {
        const snapshot = build(w);
        const plan = planTargets(snapshot).services[0]!;
        if (plan.skipped !== null) return;
        const cluster = readCluster(snapshot);
        const view = serviceView(cluster, findService(cluster, 'pool')!)!;
        const fast = runToEnd(singleSteps(view, plan.after));
        expect(fast).not.toBeNull();
        const full = runToEnd(stepByStep(view, plan.after));
        // Read through JSON: the fast path builds each step's placements when first read.
        expect(JSON.parse(JSON.stringify(fast))).toEqual(JSON.parse(JSON.stringify(full)));
        if (full.steps.length > 1) walked++;
      }),
      { numRuns: propertyRuns(300) },
    );
    expect(walked).toBeGreaterThan(0);
  });

  it('reads each step lazily but as plain data: spreads, JSON and equality see the placements', () => {
    const snapshot = buildSnapshot(
      Array.from({ length: 4 }, (_, i) => ({ hostname: `n${i}` })),
      [{ name: 'pool', replicas: 40, running: { n0: 20, n1: 20 } }],
    );
    const cluster = readCluster(snapshot);
    const view = serviceView(cluster, findService(cluster, 'pool')!)!;
    const target = planTargets(snapshot).services[0]!.after;
    const fast = runToEnd(singleSteps(view, target))!;
    const full = runToEnd(stepByStep(view, target));
    expect(fast.steps.length).toBeGreaterThan(1);
    expect(fast.steps.map((s) => ({ ...s }))).toEqual(full.steps);
    expect(fast.steps.at(-1)!.after).toEqual(target);
  });

  it('leaves views it cannot walk (two tasks in one slot, a target on an unknown node) to the full simulation', () => {
    const snapshot = buildSnapshot([{ hostname: 'n0' }, { hostname: 'n1' }], [{ name: 'pool', replicas: 3, slots: { n0: [1, 1, 2] } }]);
    const cluster = readCluster(snapshot);
    const view = serviceView(cluster, findService(cluster, 'pool')!)!;
    expect(runToEnd(singleSteps(view, { [cluster.nodes[1]!.id]: 2 }))).toBeNull();
    const plain = buildSnapshot([{ hostname: 'n0' }, { hostname: 'n1' }], [{ name: 'pool', replicas: 4, running: { n0: 4 } }]);
    const c2 = readCluster(plain);
    expect(runToEnd(singleSteps(serviceView(c2, findService(c2, 'pool')!)!, { 'no-such-node': 4 }))).toBeNull();
  });
});
