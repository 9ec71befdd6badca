import { describe, it, expect } from 'vitest';
import { predictScaleDown } from './scale-down.js';
import type { SlotTask } from './service-view.js';

/** Tasks from "node: slots" lists; a slot written as "s" is still starting. */
function tasks(layout: Record<string, (number | `${number}s`)[]>): SlotTask[] {
  return Object.entries(layout).flatMap(([node, slots]) =>
    slots.map((s) => {
      const slot = typeof s === 'number' ? s : Number(s.slice(0, -1));
      return { id: `${node}.${slot}`, slot, nodeId: node === '-' ? null : node, running: typeof s === 'number' };
    }),
  );
}

function left(all: SlotTask[], removed: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of all) if (!removed.includes(t.id) && t.nodeId) out[t.nodeId] = (out[t.nodeId] ?? 0) + 1;
  return out;
}

describe('predictScaleDown', () => {
  it('3/3/2 down by 2 leaves 2/2/2 (the third copies go)', () => {
    const all = tasks({ node1: [1, 3, 4], node2: [2, 5, 6], node3: [7, 8] });
    const p = predictScaleDown(all, 2);
    expect(p.removed.sort()).toEqual(['node1.4', 'node2.6']);
    expect(left(all, p.removed)).toEqual({ node1: 2, node2: 2, node3: 2 });
    expect(p.sure).toBe(true);
  });

  it('4/2/2 down by 2 leaves 2/2/2', () => {
    const all = tasks({ node1: [1, 2, 3, 4], node2: [5, 6], node3: [7, 8] });
    expect(left(all, predictScaleDown(all, 2).removed)).toEqual({ node1: 2, node2: 2, node3: 2 });
  });

  it('breaks equal copies by the highest slot, ignoring limits (lab: max 2 per node, 2/2/2 → 1/2/1)', () => {
    const all = tasks({ node1: [1, 4], node2: [2, 3], node3: [5, 6] });
    const p = predictScaleDown(all, 2);
    expect(p.removed.sort()).toEqual(['node1.4', 'node3.6']);
    expect(left(all, p.removed)).toEqual({ node1: 1, node2: 2, node3: 1 });
  });

  it('numbers copies on a node in slot order, not by age', () => {
    // node1 got slot 1 long after slot 5: slot 5 is still its second copy.
    const all = tasks({ node1: [5, 1], node2: [2, 3] });
    expect(predictScaleDown(all, 1).removed).toEqual(['node1.5']);
  });

  it('removes tasks without a node first', () => {
    const all = tasks({ node1: [1, 2, 3], '-': ['4s'] });
    expect(predictScaleDown(all, 1).removed).toEqual(['-.4']);
  });

  it('counts a not-running task as a later copy and removes it before a running one', () => {
    // node2's slot 3 is starting: slot 4 (running) is its first copy, slot 3 its second.
    const all = tasks({ node1: [1, 2], node2: ['3s', 4] });
    expect(predictScaleDown(all, 1).removed).toEqual(['node2.3']);
  });

  it('treats a slot with two tasks as having no node', () => {
    const all = [...tasks({ node1: [1, 2], node2: [3] }), { id: 'node2.3b', slot: 3, nodeId: 'node2', running: false }];
    expect(predictScaleDown(all, 1).removed.sort()).toEqual(['node2.3', 'node2.3b']);
  });

  it('is unsure past 12 slots when equal copies straddle the cut', () => {
    const spread = tasks({ a: [1, 5, 9, 13], b: [2, 6, 10], c: [3, 7, 11], d: [4, 8, 12] });
    // Third copies on b, c, d and a; removing 2 of the 4 index-3 tasks after the 4th copy on a.
    expect(predictScaleDown(spread, 2).sure).toBe(false);
    expect(predictScaleDown(spread, 1).sure).toBe(true);
    expect(predictScaleDown(spread, 5).sure).toBe(true);
    const small = tasks({ a: [1, 4, 7], b: [2, 5, 8], c: [3, 6] });
    expect(predictScaleDown(small, 1).sure).toBe(true);
  });

  it('is unsure when new tasks on several nodes (slots handed out at random) decide a tie', () => {
    // New tasks with slots 4 and 5 on node3 and node4: which one is slot 5 decides which goes.
    const all = tasks({ node1: [1, 2], node2: [3], node3: [4], node4: [5] });
    const loose = new Set(['node3.4', 'node4.5']);
    expect(predictScaleDown(all, 2).sure).toBe(true);
    expect(predictScaleDown(all, 2, loose).sure).toBe(false);
    // Here the tie is between fixed slots only (9 on node1 beats 5 on node2): sure.
    const fixed = tasks({ node1: [1, 2, 9], node2: [3, 4, 5], node3: [6], node4: [7] });
    expect(predictScaleDown(fixed, 1, new Set(['node3.6', 'node4.7']))).toEqual({ removed: ['node1.9'], sure: true });
  });

  it('removes nothing for k = 0 and everything for k past the count', () => {
    const all = tasks({ node1: [1, 2] });
    expect(predictScaleDown(all, 0).removed).toEqual([]);
    expect(predictScaleDown(all, 5).removed.sort()).toEqual(['node1.1', 'node1.2']);
  });
});
