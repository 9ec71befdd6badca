// How to carry out a service plan with scale-up/scale-down: one step of k when Swarm's own choices
// land exactly on the target, else single moves that each get closer, else nothing.
import { readCluster, type Cluster } from './cluster.js';
import { distance, samePlacement } from './placement.js';
import { predictScaleDown } from './scale-down.js';
import { predictScaleUp } from './scale-up.js';
import { singleSteps } from './single-steps.js';
import { runToEnd, type Slices } from './slices.js';
import { applyChanges, findService, placementOf, serviceView, type ServiceView } from './service-view.js';
import type { ClusterSnapshot } from './snapshot.js';
import type { Placement, ServicePlan, Step } from './types.js';

export interface StepOutcome {
  /** Running tasks per node while scaled up, once the new tasks run. */
  during: Placement;
  /** Running tasks per node once the step is done. */
  after: Placement;
  sure: boolean;
  /** New tasks no node could take: the step would wait for ever. */
  unplaced: number;
  view: ServiceView;
}

/**
 * Scale up by k, wait for the new tasks to run, scale down by k: what Swarm leaves. Where Swarm
 * breaks a tie at random, the prediction breaks it the way of `target` (and `sure` is false).
 */
export function simulateStep(view: ServiceView, k: number, target?: Placement): StepOutcome {
  const up = predictScaleUp(view, k, target && wantedFor(view, target));
  const unplaced = up.added.filter((t) => t.nodeId === null).length;
  const during = placementOf(view);
  for (const t of up.added) if (t.nodeId !== null) during[t.nodeId] = (during[t.nodeId] ?? 0) + 1;
  if (unplaced > 0) return { during, after: placementOf(view), sure: up.sure, unplaced, view };
  const loose = new Set(up.slotsSure ? [] : up.added.map((t) => t.id));
  const down = predictScaleDown([...view.tasks, ...up.added], k, loose);
  const next = applyChanges(view, up.added, new Set(down.removed));
  return { during, after: placementOf(next), sure: up.sure && down.sure, unplaced: 0, view: next };
}

/** Tasks the target adds per node (indexed like cluster.nodes). */
function wantedFor(view: ServiceView, target: Placement): Int32Array {
  const now = placementOf(view);
  const wanted = new Int32Array(view.cluster.nodes.length);
  for (const [id, n] of Object.entries(target)) {
    const i = view.nodeIndex.get(id);
    if (i !== undefined) wanted[i] = Math.max(0, n - (now[id] ?? 0));
  }
  return wanted;
}

export interface StepsResult {
  steps: Step[];
  /** Why no sequence of scale steps is used, or null. */
  skipped: string | null;
}

/** The step's outcome with Swarm's random ties broken towards the target, and (if any) by node order. */
function outcomes(view: ServiceView, k: number, target: Placement, byNodeOrder?: StepOutcome): StepOutcome[] {
  const steered = simulateStep(view, k, target);
  return steered.sure ? [steered] : [steered, byNodeOrder ?? simulateStep(view, k)];
}

/**
 * Steps from the view's placement to the target, or a reason why none are used. `byNodeOrder`:
 * simulateStep(view, k) if already at hand (same result, saves the work).
 */
export function stepsFromView(view: ServiceView, target: Placement, byNodeOrder?: StepOutcome): StepsResult {
  return runToEnd(stepsInSlices(view, target, byNodeOrder));
}

/** stepsFromView, yielding between single steps (see slices.ts). */
export function* stepsInSlices(view: ServiceView, target: Placement, byNodeOrder?: StepOutcome): Slices<StepsResult> {
  const replicas = view.service.replicas;
  const k = distance(placementOf(view), target);
  if (k === 0) return { steps: [], skipped: null };
  const toStep = (o: StepOutcome, n: number): Step =>
    ({ kind: 'scale', k: n, replicas: replicas + n, during: o.during, after: o.after, sure: o.sure });
  const whole = outcomes(view, k, target, byNodeOrder).find((o) => o.unplaced === 0 && samePlacement(o.after, target));
  if (whole) return { steps: [toStep(whole, k)], skipped: null };
  return (yield* singleSteps(view, target)) ?? (yield* stepByStep(view, target, k));
}

/**
 * One task at a time, each step simulated in full: each must bring the placement closer to the
 * target. singleSteps does the same incrementally wherever it can; this covers the rest.
 */
export function* stepByStep(view: ServiceView, target: Placement, k = distance(placementOf(view), target)): Slices<StepsResult> {
  const toStep = (o: StepOutcome): Step =>
    ({ kind: 'scale', k: 1, replicas: view.service.replicas + 1, during: o.during, after: o.after, sure: o.sure });
  const steps: Step[] = [];
  let at = view;
  for (let left = k; left > 0; ) {
    const tries = outcomes(at, 1, target);
    if (tries.every((o) => o.unplaced > 0)) return { steps: [], skipped: 'no node can take a new task' };
    const one = tries.find((o) => o.unplaced === 0 && distance(o.after, target) < left);
    if (!one) return { steps: [], skipped: 'no scale sequence reaches the target' };
    steps.push(toStep(one));
    at = one.view;
    left = distance(one.after, target);
    yield;
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
