import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { readCluster } from './cluster.js';
import { apiNode } from './snapshot-builder.js';
import { compareUnevenness, fillEvenly, isBalanced, spreadLevels, spreadTarget, unevenness } from './spread.js';

const inf = 1000;

describe('fillEvenly', () => {
  it('evens out and gives remainders to the nodes already holding more', () => {
    expect(fillEvenly([0, 0, 0], [inf, inf, inf], [3, 3, 0], 6)).toEqual([2, 2, 2]);
    expect(fillEvenly([0, 0, 0], [inf, inf, inf], [4, 3, 0], 7)).toEqual([3, 2, 2]);
    expect(fillEvenly([0, 0, 0], [inf, inf, inf], [0, 3, 4], 7)).toEqual([2, 2, 3]);
    // Equal holders: the first position wins.
    expect(fillEvenly([0, 0, 0, 0], [inf, inf, inf, inf], [3, 3, 0, 0], 6)).toEqual([2, 2, 1, 1]);
  });
  it('respects upper and lower bounds', () => {
    expect(fillEvenly([0, 0, 0], [2, 2, 2], [2, 2, 0], 4)).toEqual([2, 1, 1]);
    expect(fillEvenly([0, 0, 0], [inf, inf, 1], [5, 0, 0], 5)).toEqual([2, 2, 1]);
    expect(fillEvenly([3, 0, 0], [3, inf, inf], [3, 3, 0], 6)).toEqual([3, 2, 1]);
    expect(fillEvenly([0, 0], [1, 1], [1, 1], 3)).toBeNull();
    expect(fillEvenly([2, 0], [2, 5], [2, 1], 1)).toBeNull();
  });
  it('returns zeros for nothing to place', () => {
    expect(fillEvenly([0, 0], [inf, inf], [0, 0], 0)).toEqual([0, 0]);
    expect(fillEvenly([], [], [], 0)).toEqual([]);
  });
});

function levelsOf(zones: (string | undefined)[], racks?: (string | undefined)[]) {
  const cluster = readCluster({
    nodes: zones.map((z, i) =>
      apiNode({ hostname: `n${i}`, labels: { ...(z ? { zone: z } : {}), ...(racks?.[i] ? { rack: racks[i]! } : {}) } }),
    ),
    services: [],
    tasks: [],
  });
  const descriptors = racks ? ['node.labels.zone', 'node.labels.rack'] : ['node.labels.zone'];
  // Node order in the cluster is by ID; map back to the given order for readable tests.
  const order = zones.map((_, i) => cluster.nodes.findIndex((n) => n.hostname === `n${i}`));
  const levels = spreadLevels(descriptors, cluster, new Map());
  return { levels, order };
}

function target(zones: (string | undefined)[], current: number[], total: number, hi?: number[], racks?: (string | undefined)[]) {
  const { levels, order } = levelsOf(zones, racks);
  const n = zones.length;
  const at = (a: number[]) => {
    const out = new Array<number>(n);
    order.forEach((ci, i) => (out[ci] = a[i]!));
    return out;
  };
  const t = spreadTarget(levels, at(new Array(n).fill(0)), at(hi ?? new Array(n).fill(inf)), at(current), total);
  return t && order.map((ci) => t[ci]!);
}

describe('spreadTarget', () => {
  it('spreads over label values first, then over the nodes of each group', () => {
    // Zone a has two nodes, zone b one: 3 + 3, and zone a's 3 split 2/1.
    expect(target(['a', 'a', 'b'], [3, 0, 3], 6)).toEqual([2, 1, 3]);
    const tie = target(['a', 'a', 'b'], [2, 2, 2], 6)!;
    expect([tie[0], tie[1]].sort()).toEqual([1, 2]);
    expect(tie[2]).toBe(3);
  });
  it('puts nodes without the label in a group of their own', () => {
    // Three groups (a, b, and the two unlabelled nodes): 2 each.
    expect(target(['a', 'b', undefined, undefined], [0, 0, 6, 0], 6)).toEqual([2, 2, 1, 1]);
  });
  it('fills other groups when one has no room', () => {
    expect(target(['a', 'b', 'c'], [2, 2, 2], 6, [inf, inf, 0])).toEqual([3, 3, 0]);
  });
  it('nests preferences: zone, then rack within the zone', () => {
    expect(target(['a', 'a', 'a', 'b'], [4, 0, 0, 4], 8, undefined, ['r1', 'r1', 'r2', 'r3'])).toEqual([1, 1, 2, 4]);
  });
  it('is null when the replicas do not fit', () => {
    expect(target(['a', 'b'], [1, 1], 3, [1, 1])).toBeNull();
  });
});

describe('unevenness', () => {
  it('ranks the spread level before the node level', () => {
    const { levels, order } = levelsOf(['a', 'a', 'b']);
    const counts = (a: number[]) => {
      const out = new Int32Array(3);
      order.forEach((ci, i) => (out[ci] = a[i]!));
      return out;
    };
    const zoneEven = unevenness(levels, counts([2, 1, 3]));
    const nodeEven = unevenness(levels, counts([2, 2, 2]));
    expect(zoneEven).toEqual([18, 14]);
    expect(nodeEven).toEqual([20, 12]);
    expect(compareUnevenness(zoneEven, nodeEven)).toBe(-1);
    expect(compareUnevenness(nodeEven, zoneEven)).toBe(1);
    expect(compareUnevenness(zoneEven, [18, 14])).toBe(0);
  });
});

describe('isBalanced', () => {
  it('says true exactly when spreadTarget keeps the current placement (random nested spreads)', () => {
    const node = fc.record({ zone: fc.constantFrom('a', 'b', undefined), rack: fc.constantFrom('r1', 'r2', undefined), lo: fc.nat(2), room: fc.nat(4), extra: fc.nat(3) });
    fc.assert(
      fc.property(fc.array(node, { minLength: 1, maxLength: 7 }), fc.nat(2), (nodes, depth) => {
        const cluster = readCluster({
          nodes: nodes.map((n, i) =>
            apiNode({ hostname: `n${i}`, labels: { ...(n.zone ? { zone: n.zone } : {}), ...(n.rack ? { rack: n.rack } : {}) } }),
          ),
          services: [],
          tasks: [],
        });
        const levels = spreadLevels(['node.labels.zone', 'node.labels.rack'].slice(0, depth), cluster, new Map());
        // Current within bounds: lo <= current <= hi.
        const lo = nodes.map((n) => n.lo);
        const current = nodes.map((n) => n.lo + n.extra);
        const hi = nodes.map((n, i) => current[i]! + n.room);
        const total = current.reduce((a, b) => a + b, 0);
        const target = spreadTarget(levels, lo, hi, current, total)!;
        expect(isBalanced(levels, lo, hi, current)).toBe(current.every((c, i) => c === target[i]));
      }),
      { numRuns: 500 },
    );
  });
});
