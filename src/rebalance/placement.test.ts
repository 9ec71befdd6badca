import { describe, it, expect } from 'vitest';
import { distance, movesBetween, samePlacement } from './placement.js';

describe('placements', () => {
  it('moves from the nodes that lose to the nodes that gain, in node order', () => {
    expect(movesBetween({ a: 4, b: 3 }, { a: 2, b: 2, c: 1, d: 2 })).toEqual([
      { from: 'a', to: 'c', count: 1 },
      { from: 'a', to: 'd', count: 1 },
      { from: 'b', to: 'd', count: 1 },
    ]);
    expect(movesBetween({ a: 1 }, { a: 1 })).toEqual([]);
  });
  it('measures distance as the tasks that must move', () => {
    expect(distance({ a: 3, b: 3 }, { a: 2, b: 2, c: 2 })).toBe(2);
    expect(distance({ a: 2 }, { a: 2 })).toBe(0);
  });
  it('treats a missing node as zero', () => {
    expect(samePlacement({ a: 1, b: 0 }, { a: 1 })).toBe(true);
    expect(samePlacement({ a: 1 }, { a: 1, b: 1 })).toBe(false);
  });
});
