// planRebalance: for each replicated service, the most even placement the placement rules allow,
// reached with the fewest moves, and the scale steps that get there; or why it is left alone.
//
// Tasks that are wanted but not running yet (new, pending, assigned … starting) count toward the
// replicas but mean Swarm is still placing: such a service is "not settled" and left alone, as is
// one with tasks still stopping, fewer running tasks than replicas, or tasks on nodes Swarm is about
// to move them from (down, drained, no longer matching its constraints).
import { readClusterInSlices, type Cluster, type ServiceFacts } from './cluster.js';
import { boundsFor, nodeFit, nodeUsage, type Bounds, type FitCache, type NodeUsage } from './eligibility.js';
import { distance, movesBetween, samePlacement, toCounts, toPlacement } from './placement.js';
import { balancedReason, quickBalanced, type BalanceInput } from './balance.js';
import { busyReason, policyReason, settleReason, tally } from './service-state.js';
import { findService, serviceView, type ServiceView, type ViewCaches } from './service-view.js';
import type { ClusterSnapshot } from './snapshot.js';
import { compareUnevenness, isBalanced, spreadLevels, spreadTarget, unevenness, type SpreadCache } from './spread.js';
import { runInSlices, runToEnd, type Slices } from './slices.js';
import { simulateStep, stepsInSlices } from './steps.js';
import type { Placement, Plan, PlanOptions, ServicePlan } from './types.js';

const byName = (a: ServiceFacts, b: ServiceFacts) =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

function chooseServices(cluster: Cluster, wanted: string[] | undefined): { services: ServiceFacts[]; notFound: string[] } {
  if (!wanted) return { services: cluster.services.slice().sort(byName), notFound: [] };
  const chosen = new Map<string, ServiceFacts>();
  const notFound: string[] = [];
  for (const w of wanted) {
    const s = findService(cluster, w);
    if (s) chosen.set(s.id, s);
    else notFound.push(w);
  }
  return { services: [...chosen.values()].sort(byName), notFound };
}

/**
 * When Swarm's own +k/-k (ties broken by node order) lands on an equally even target with as few
 * moves, plan that instead: it is what Swarm will most likely do.
 */
function preferSwarmsChoice(view: ServiceView, before: Placement, target: Int32Array, bounds: Bounds) {
  const cluster = view.cluster;
  const planned = toPlacement(target, cluster);
  const k = distance(before, planned);
  const outcome = simulateStep(view, k);
  const keep = { target, outcome };
  if (outcome.unplaced > 0 || samePlacement(outcome.after, planned) || distance(before, outcome.after) !== k) return keep;
  const counts = toCounts(outcome.after, view.nodeIndex, cluster.nodes.length);
  if (!counts || counts.some((n, i) => n < bounds.lo[i]! || n > bounds.hi[i]!)) return keep;
  const same = compareUnevenness(unevenness(view.levels, counts), unevenness(view.levels, target)) === 0;
  return same ? { target: counts, outcome } : keep;
}

/** Arrivals take room on their nodes for the services planned after; departures free none (conservative). */
function reserveArrivals(usage: NodeUsage, s: ServiceFacts, current: Int32Array, target: Int32Array): void {
  for (let i = 0; i < target.length; i++) {
    const more = target[i]! - current[i]!;
    if (more <= 0) continue;
    usage.nanoCpus[i]! += more * s.nanoCpus;
    usage.memoryBytes[i]! += more * s.memoryBytes;
    usage.tasks[i]! += more;
    for (const p of s.hostPorts) usage.hostPorts[i]!.add(p);
  }
}

interface Scratch {
  running: Int32Array;
}

function* planService(
  service: ServiceFacts,
  cluster: Cluster,
  usage: NodeUsage,
  caches: ViewCaches,
  scratch: Scratch,
  steps: boolean,
): Slices<ServicePlan> {
  const plan: ServicePlan = {
    serviceId: service.id,
    serviceName: service.name,
    replicas: service.replicas,
    before: {},
    after: {},
    moves: [],
    steps: [],
    skipped: null,
  };
  const n = cluster.nodes.length;
  const counted = tally(cluster.tasksByService.get(service.id) ?? [], caches.nodeIndex!, n, scratch.running);
  const current = counted.running;
  for (const i of counted.holders.slice().sort((a, b) => a - b)) plan.before[cluster.nodes[i]!.id] = current[i]!;
  plan.after = plan.before;
  const skip = (reason: string, busy = false): ServicePlan => ({ ...plan, skipped: reason, ...(busy && { busy: true as const }) });
  const policy = policyReason(service);
  if (policy) return skip(policy);
  const busy = busyReason(service);
  if (busy) return skip(busy, true);
  const fit = nodeFit(service, cluster, caches.fit!);
  if (typeof fit === 'string') return skip(`placement constraint not understood: ${fit}`);
  const unsettled = settleReason(service, counted, fit);
  if (unsettled) return skip(unsettled, true);
  const levels = spreadLevels(service.spread, cluster, caches.spread!);
  const input: BalanceInput = { cluster, service, fit, levels, usage, current, holders: counted.holders };
  let bounds: Bounds | undefined;
  const getBounds = () => (bounds ??= boundsFor(service, cluster, usage, fit, current));
  if (quickBalanced(input) === true) return skip(balancedReason(input, getBounds));
  const { lo, hi } = getBounds();
  if (isBalanced(levels, lo, hi, current)) return skip(balancedReason(input, getBounds));
  let target = spreadTarget(levels, lo, hi, current, service.replicas);
  if (!target) return skip('no eligible node can take a task');
  if (!steps) {
    reserveArrivals(usage, service, current, target);
    const after = toPlacement(target, cluster);
    return { ...plan, after, moves: movesBetween(plan.before, after) };
  }
  const view = serviceView(cluster, service, { ...caches, usage })!;
  const chosen = preferSwarmsChoice(view, plan.before, target, bounds!);
  target = chosen.target;
  const after = toPlacement(target, cluster);
  const found = yield* stepsInSlices(view, after, chosen.outcome);
  if (found.skipped) return skip(found.skipped);
  reserveArrivals(usage, service, current, target);
  return { ...plan, after, moves: movesBetween(plan.before, after), steps: found.steps };
}

function* plan(snapshot: ClusterSnapshot, options: PlanOptions, steps: boolean): Slices<Plan> {
  const cluster = yield* readClusterInSlices(snapshot);
  const { services, notFound } = chooseServices(cluster, options.services);
  const usage = nodeUsage(cluster);
  const caches: ViewCaches = {
    fit: new Map() as FitCache,
    spread: new Map() as SpreadCache,
    nodeIndex: new Map(cluster.nodes.map((n, i) => [n.id, i])),
  };
  const scratch: Scratch = { running: new Int32Array(cluster.nodes.length) };
  const planned: ServicePlan[] = [];
  for (const s of services) {
    yield;
    planned.push(yield* planService(s, cluster, usage, caches, scratch, steps));
  }
  return {
    at: options.now ?? null,
    services: planned,
    hostnames: Object.fromEntries(cluster.displayNames),
    notFound,
    warnings: cluster.warnings,
  };
}

/** Plans the rebalance of a cluster snapshot. Pure: the same snapshot and options give the same plan. */
export function planRebalance(snapshot: ClusterSnapshot, options: PlanOptions = {}): Plan {
  return runToEnd(plan(snapshot, options, true));
}

/**
 * planRebalance without holding the event loop: it gets a turn whenever planning has run for
 * `sliceMs` (between services, and every few steps of a long one). The same plan.
 */
export function planRebalanceInSlices(snapshot: ClusterSnapshot, options: PlanOptions = {}, sliceMs = 20): Promise<Plan> {
  return runInSlices(plan(snapshot, options, true), sliceMs);
}

/**
 * The most even placement the rules allow, with the fewest moves, before asking whether scale steps
 * reach it: no steps, and no service skipped for want of them.
 */
export function planTargets(snapshot: ClusterSnapshot, options: PlanOptions = {}): Plan {
  return runToEnd(plan(snapshot, options, false));
}
