import { describe, expect, it } from 'vitest';
import type { ServicePlan } from '../rebalance/types.js';
import { admit, emptyGovernor, record } from './governor.js';

const plan = (id: string, moved: number, skipped: string | null = null): ServicePlan => ({
  serviceId: id, serviceName: id, replicas: 6, before: {}, after: {}, moves: moved ? [{ from: 'n1', to: 'n3', count: moved }] : [], steps: [], skipped,
});
const limits = { maxMoves: 5, movesWindowMs: 600_000, cooldownMs: 300_000 };

describe('governor', () => {
  it('admits within the move budget and holds the rest with a reason', () => {
    const { admitted, held } = admit([plan('a', 2), plan('b', 2), plan('c', 2), plan('d', 0, 'already balanced')], emptyGovernor(), 0, limits);
    expect(admitted.map((p) => p.serviceId)).toEqual(['a', 'b']);
    expect(held).toEqual([{ service: 'c', reason: 'move budget: 4 of 5 moves used in the window' }]);
  });

  it('holds a service in its cooldown and frees the budget as the window slides', () => {
    let state = record(emptyGovernor(), 'a', 4, 0, limits.movesWindowMs);
    expect(admit([plan('a', 1)], state, 1000, limits).held[0].reason).toMatch(/^cooldown: rebalanced 1 s ago/);
    expect(admit([plan('b', 2)], state, 1000, limits).held[0].reason).toMatch(/^move budget/);
    expect(admit([plan('b', 2)], state, 600_001, limits).admitted).toHaveLength(1);
    state = record(state, 'b', 2, 600_001, limits.movesWindowMs);
    expect(state.moves).toEqual([{ at: 600_001, count: 2 }]);
  });
});
