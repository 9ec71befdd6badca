// How to carry out a service plan with scale-up/scale-down: one step of k when Swarm's own choices
// land exactly on the target, else single moves that each get closer, else nothing.
import { readCluster, type Cluster } from './cluster.js';
import { distance, samePlacement } from './placement.js';
import { predictScaleDown } from './scale-down.js';
import { predictScaleUp } from './scale-up.js';
import { applyChanges, findService, placementOf, serviceView, type ServiceView, type SlotTask } from './service-view.js';
import type { ClusterSnapshot } from './snapshot.js';
import type { Placement, ServicePlan, Step } from './types.js';

export interface StepOutcome {
  /** Running tasks per node once the step is done. */
  after: Placement;
  sure: boolean;
  /** New tasks no node could take: the step would wait for ever. */
  unplaced: number;
  view: ServiceView;
}

// Distinct ways to hand the new slots to the nodes they landed on; beyond this, call it unsure.
const MAX_SLOT_ORDERS = 720;

function slotOrders(added: SlotTask[]): SlotTask[][] | null {
  const nodes = added.map((t) => t.nodeId);
  const slots = added.map((t) => t.slot);
  const orders: SlotTask[][] = [];
  // Distinct permutations of the node list (a multiset), slots kept in order.
  const counts = new Map<string | null, number>();
  for (const n of nodes) counts.set(n, (counts.get(n) ?? 0) + 1);
  const pick: (string | null)[] = [];
  const walk = (): boolean => {
    if (orders.length > MAX_SLOT_ORDERS) return false;
    if (pick.length === nodes.length) {
      orders.push(pick.map((nodeId, j) => ({ id: `new-${slots[j]}`, slot: slots[j]!, nodeId, running: true })));
      return true;
    }
    for (const [n, c] of counts) {
      if (c === 0) continue;
      counts.set(n, c - 1);
      pick.push(n);
      const ok = walk();
      pick.pop();
      counts.set(n, c);
      if (!ok) return false;
    }
    return true;
  };
  return walk() ? orders : null;
}

/** Scale up by k, wait for the new tasks to run, scale down by k: what Swarm leaves. */
export function simulateStep(view: ServiceView, k: number): StepOutcome {
  const up = predictScaleUp(view, k);
  const unplaced = up.added.filter((t) => t.nodeId === null).length;
  if (unplaced > 0) return { after: placementOf(view), sure: up.sure, unplaced, view };
  const orders = up.slotsSure ? [up.added] : slotOrders(up.added);
  let sure = up.sure && orders !== null;
  let first: { after: Placement; view: ServiceView } | undefined;
  for (const added of orders ?? [up.added]) {
    const withNew = [...view.tasks, ...added];
    const down = predictScaleDown(withNew, k);
    const next = applyChanges(view, added, new Set(down.removed));
    const after = placementOf(next);
    sure &&= down.sure;
    if (!first) first = { after, view: next };
    else if (!samePlacement(first.after, after)) sure = false;
  }
  return { after: first!.after, sure, unplaced: 0, view: first!.view };
}

export interface StepsResult {
  steps: Step[];
  /** Why no sequence of scale steps is used, or null. */
  skipped: string | null;
}

/** Steps from the view's placement to the target, or a reason why none are used. */
export function stepsFromView(view: ServiceView, target: Placement): StepsResult {
  const replicas = view.service.replicas;
  const k = distance(placementOf(view), target);
  if (k === 0) return { steps: [], skipped: null };
  const whole = simulateStep(view, k);
  if (whole.unplaced === 0 && samePlacement(whole.after, target)) {
    return { steps: [{ kind: 'scale', k, replicas: replicas + k, after: whole.after, sure: whole.sure }], skipped: null };
  }
  // One task at a time: each step must bring the placement closer to the target.
  const steps: Step[] = [];
  let at = view;
  for (let left = k; left > 0; ) {
    const one = simulateStep(at, 1);
    if (one.unplaced > 0) return { steps: [], skipped: 'no node can take a new task' };
    const closer = distance(one.after, target);
    if (closer >= left) return { steps: [], skipped: 'no scale sequence reaches the target' };
    steps.push({ kind: 'scale', k: 1, replicas: replicas + 1, after: one.after, sure: one.sure });
    at = one.view;
    left = closer;
  }
  return { steps, skipped: null };
}

/**
 * The steps that carry out one service plan on the cluster as it is in `snapshot` (take a fresh
 * snapshot before each service: the predictions assume nothing else changed).
 */
export function stepsFor(plan: ServicePlan, snapshot: ClusterSnapshot | Cluster): StepsResult {
  if (plan.skipped !== null) return { steps: [], skipped: plan.skipped };
  const cluster = 'nodeById' in snapshot ? snapshot : readCluster(snapshot);
  const service = findService(cluster, plan.serviceId);
  if (!service) return { steps: [], skipped: 'service no longer exists' };
  const view = serviceView(cluster, service);
  if (!view) return { steps: [], skipped: 'placement constraint not understood' };
  if (!samePlacement(placementOf(view), plan.before)) return { steps: [], skipped: 'placement changed since the plan' };
  return stepsFromView(view, plan.after);
}
