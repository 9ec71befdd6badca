// Limits on how much the rebalancer may do, so nothing ping-pongs: a cooldown per service and a
// budget of moves per window. Pure: state in, decision out.
import type { ServicePlan } from '../rebalance/types.js';

export interface GovernorLimits {
  maxMoves: number;
  movesWindowMs: number;
  cooldownMs: number;
}

export interface GovernorState {
  /** Moves made, with times, within the last window. */
  moves: Array<{ at: number; count: number }>;
  /** Service id → when it was last rebalanced. */
  lastRun: Record<string, number>;
}

export const emptyGovernor = (): GovernorState => ({ moves: [], lastRun: {} });

const movesOf = (p: ServicePlan) => p.moves.reduce((n, m) => n + m.count, 0);

export function admit(plans: ServicePlan[], state: GovernorState, now: number, limits: GovernorLimits): { admitted: ServicePlan[]; held: Array<{ service: string; reason: string }> } {
  let used = state.moves.filter((m) => now - m.at < limits.movesWindowMs).reduce((n, m) => n + m.count, 0);
  const admitted: ServicePlan[] = [];
  const held: Array<{ service: string; reason: string }> = [];
  for (const p of plans) {
    if (p.skipped) continue;
    const last = state.lastRun[p.serviceId];
    if (last !== undefined && now - last < limits.cooldownMs) {
      held.push({ service: p.serviceName, reason: `cooldown: rebalanced ${Math.round((now - last) / 1000)} s ago` });
      continue;
    }
    const n = movesOf(p);
    if (used + n > limits.maxMoves) {
      held.push({ service: p.serviceName, reason: `move budget: ${used} of ${limits.maxMoves} moves used in the window` });
      continue;
    }
    used += n;
    admitted.push(p);
  }
  return { admitted, held };
}

export function record(state: GovernorState, serviceId: string, moved: number, now: number, windowMs: number): GovernorState {
  return {
    moves: [...state.moves.filter((m) => now - m.at < windowMs), ...(moved ? [{ at: now, count: moved }] : [])],
    lastRun: { ...state.lastRun, [serviceId]: now },
  };
}
