import { describe, it, expect } from 'vitest';
import { readCluster } from './cluster.js';
import { freeSlots, predictScaleUp } from './scale-up.js';
import { buildSnapshot, type NodeDesc, type ServiceDesc } from './snapshot-builder.js';
import { findService, serviceView } from './service-view.js';

function view(nodes: NodeDesc[], services: ServiceDesc[], name = services[0]!.name) {
  const cluster = readCluster(buildSnapshot(nodes, services));
  return serviceView(cluster, findService(cluster, name)!)!;
}

/** Where the new tasks went, by hostname. */
function landed(v: ReturnType<typeof view>, k: number) {
  const p = predictScaleUp(v, k);
  const out: Record<string, number> = {};
  for (const t of p.added) {
    const host = t.nodeId === null ? 'none' : v.cluster.displayNames.get(t.nodeId)!;
    out[host] = (out[host] ?? 0) + 1;
  }
  return { out, p };
}

const three: NodeDesc[] = [{ hostname: 'node1' }, { hostname: 'node2' }, { hostname: 'node3' }];

describe('freeSlots', () => {
  it('takes the lowest slot numbers without a task', () => {
    expect(freeSlots([{ id: 'a', slot: 1, nodeId: 'n', running: true }, { id: 'b', slot: 3, nodeId: 'n', running: true }], 3)).toEqual([2, 4, 5]);
  });
});

describe('predictScaleUp', () => {
  it('3/3/0 + 2: both new tasks go to the empty node', () => {
    const { out, p } = landed(view(three, [{ name: 'web', replicas: 6, running: { node1: 3, node2: 3 } }]), 2);
    expect(out).toEqual({ node3: 2 });
    expect(p.added.map((t) => t.slot)).toEqual([7, 8]);
    expect(p.sure).toBe(true);
    expect(p.slotsSure).toBe(true);
  });

  it('4/2/0 + 2 lands on node3', () => {
    expect(landed(view(three, [{ name: 'web', replicas: 6, running: { node1: 4, node2: 2 } }]), 2).out).toEqual({ node3: 2 });
  });

  it('fills the emptiest node only until the next one is as good (then round-robin)', () => {
    const { out, p } = landed(view(three, [{ name: 'web', replicas: 6, running: { node1: 5, node2: 1 } }]), 3);
    // node3 0→1; node2 (1) is not better than node3 (1): stay, node3 →2; node2 (1) is better: node2 →2.
    expect(out).toEqual({ node3: 2, node2: 1 });
    expect(p.sure).toBe(true);
    expect(p.slotsSure).toBe(false);
  });

  it('respects max replicas per node (2/2/0, max 2, + 2 → node3 gets both)', () => {
    expect(landed(view(three, [{ name: 'w', replicas: 4, maxReplicas: 2, running: { node1: 2, node2: 2 } }]), 2).out).toEqual({ node3: 2 });
    // A third one has nowhere to go.
    expect(landed(view(three, [{ name: 'w', replicas: 4, maxReplicas: 2, running: { node1: 2, node2: 2 } }]), 3).out).toEqual({ node3: 2, none: 1 });
  });

  it('breaks equal per-service counts by the tasks a node runs overall', () => {
    const four = [...three, { hostname: 'node4' }];
    const services: ServiceDesc[] = [
      { name: 'web', replicas: 6, running: { node1: 3, node2: 3 } },
      { name: 'busy', replicas: 2, running: { node3: 2 } },
    ];
    const { out, p } = landed(view(four, services), 1);
    expect(out).toEqual({ node4: 1 });
    expect(p.sure).toBe(true);
  });

  it('is unsure when equal nodes fare differently', () => {
    const four = [...three, { hostname: 'node4' }];
    const { p } = landed(view(four, [{ name: 'web', replicas: 6, running: { node1: 3, node2: 3 } }]), 1);
    expect(p.sure).toBe(false);
    const both = landed(view(four, [{ name: 'web', replicas: 6, running: { node1: 3, node2: 3 } }]), 2);
    expect(both.out).toEqual({ node3: 1, node4: 1 });
    expect(both.p.sure).toBe(true);
  });

  it('picks the best nodes out of many (least loaded overall when the service count ties)', () => {
    const many: NodeDesc[] = Array.from({ length: 40 }, (_, i) => ({ hostname: `n${String(i + 1).padStart(2, '0')}` }));
    const busy = Object.fromEntries(many.filter((n) => n.hostname !== 'n17' && n.hostname !== 'n33').map((n) => [n.hostname, 1]));
    const services: ServiceDesc[] = [
      { name: 'web', replicas: 6, running: { n01: 3, n02: 3 } },
      { name: 'busy', replicas: 38, running: busy },
    ];
    const { out, p } = landed(view(many, services), 2);
    expect(out).toEqual({ n17: 1, n33: 1 });
    expect(p.sure).toBe(true);
    // One task: n17 or n33, Swarm's choice.
    expect(landed(view(many, services), 1).p.sure).toBe(false);
  });

  it('skips nodes that are not ready, not active, or do not match', () => {
    const nodes: NodeDesc[] = [
      { hostname: 'node1', labels: { tier: 'app' } },
      { hostname: 'node2', labels: { tier: 'app' }, availability: 'drain' },
      { hostname: 'node3', labels: { tier: 'app' }, state: 'down' },
      { hostname: 'node4', labels: { tier: 'app' }, availability: 'pause' },
      { hostname: 'node5' },
      { hostname: 'node6', labels: { tier: 'app' } },
    ];
    const v = view(nodes, [{ name: 'app', replicas: 2, constraints: ['node.labels.tier==app'], running: { node1: 2 } }]);
    expect(landed(v, 2).out).toEqual({ node6: 2 });
  });

  it('needs room for the reservations', () => {
    const nodes: NodeDesc[] = [{ hostname: 'node1', cpus: 4 }, { hostname: 'node2', cpus: 1 }, { hostname: 'node3', cpus: 4 }];
    const services: ServiceDesc[] = [
      { name: 'app', replicas: 4, cpus: 1, running: { node1: 4 } },
      { name: 'other', replicas: 1, cpus: 3.5, running: { node3: 1 } },
    ];
    // node2 fits one (1 of 1 CPU), node3 none (3.5 of 4 taken).
    expect(landed(view(nodes, services), 2).out).toEqual({ node2: 1, none: 1 });
  });

  it('allows one task per node with a host-mode published port', () => {
    const v = view(three, [{ name: 'edge', replicas: 2, hostPorts: [8080], running: { node1: 1 } }]);
    expect(landed(v, 2).out).toEqual({ node2: 1, node3: 1 });
  });

  it('spreads over zones first: 3/0/3 with zones a,a,b sends one task to zone a (a tie: unsure)', () => {
    const nodes: NodeDesc[] = [
      { hostname: 'node1', labels: { zone: 'a' } },
      { hostname: 'node2', labels: { zone: 'a' } },
      { hostname: 'node3', labels: { zone: 'b' } },
    ];
    const v = view(nodes, [{ name: 'web', replicas: 6, spread: ['node.labels.zone'], running: { node1: 3, node3: 3 } }]);
    const one = landed(v, 1);
    expect(one.out).toEqual({ node2: 1 });
    expect(one.p.sure).toBe(false);
    const two = landed(v, 2);
    expect(two.out).toEqual({ node2: 1, node3: 1 });
    expect(two.p.sure).toBe(true);
  });

  it('sends all new tasks to one zone when the emptier zones ask for more than there is (order: unsure)', () => {
    const nodes: NodeDesc[] = [
      { hostname: 'node1', labels: { zone: 'a' } },
      { hostname: 'node2', labels: { zone: 'b' } },
      { hostname: 'node3', labels: { zone: 'c' } },
    ];
    // 4 in zone b, +2: each other zone is short by 2 of (4 + 2) / 3; the first one visited takes both.
    const v = view(nodes, [{ name: 'web', replicas: 4, spread: ['node.labels.zone'], running: { node2: 4 } }]);
    const two = landed(v, 2);
    expect(Object.values(two.out)).toEqual([2]);
    expect(two.out.node2).toBeUndefined();
    expect(two.p.sure).toBe(false);
  });

  it('treats a zone whose nodes cannot take tasks as full', () => {
    const nodes: NodeDesc[] = [
      { hostname: 'node1', labels: { zone: 'a' } },
      { hostname: 'node2', labels: { zone: 'b' }, availability: 'drain' },
      { hostname: 'node3', labels: { zone: 'c' } },
    ];
    const v = view(nodes, [{ name: 'web', replicas: 4, spread: ['node.labels.zone'], running: { node1: 4 } }]);
    expect(landed(v, 2).out).toEqual({ node3: 2 });
  });
});
