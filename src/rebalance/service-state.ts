// Whether a service is ours to move, and whether it is settled enough to plan on.
import { stateRank, type ServiceFacts, type TaskFacts } from './cluster.js';
import { isRunning, isWanted, type NodeFit } from './eligibility.js';

export const REBALANCE_LABEL = 'swarm-watchdog.rebalance';
/** Set by the executor while it moves a service's tasks (see act/intent.ts). */
export const INTENT_LABEL = 'swarm-watchdog.intent';

// Swarm is still moving tasks itself in these; writing the service would also resume a paused update.
const UPDATE_IN_PROGRESS = new Set(['updating', 'paused', 'rollback_started', 'rollback_paused']);

/** Why the operator's policy leaves this service alone, or null. */
export function policyReason(service: ServiceFacts): string | null {
  if (service.mode === 'global') return 'global service';
  if (service.mode === 'job') return 'job';
  if (service.mode !== 'replicated') return 'unknown service mode';
  const label = (service.labels[REBALANCE_LABEL] ?? '').trim().toLowerCase();
  if (label === 'false') return `label ${REBALANCE_LABEL}=false`;
  if (service.replicas === 0) return 'no replicas';
  if (service.replicas === 1 && label !== 'true') return `one replica (label ${REBALANCE_LABEL}=true to include)`;
  return null;
}

/** Why the service is being changed right now (a later run may move it), or null. */
export function busyReason(service: ServiceFacts): string | null {
  // Its replica count is a step of a move, not the operator's: planning on it would undo the move.
  if (service.labels[INTENT_LABEL]) return `a watchdog rebalance is under way or was interrupted (label ${INTENT_LABEL})`;
  if (service.updateState && UPDATE_IN_PROGRESS.has(service.updateState)) {
    return `update in progress (${service.updateState})`;
  }
  return null;
}

/** A service's tasks counted per node (indexed like cluster.nodes). */
export interface Tally {
  running: Int32Array;
  /** Indexes of the nodes in `running` with at least one task. */
  holders: number[];
  /** Running tasks on a node the snapshot does not list. */
  lost: number;
  /** Wanted but not running yet (new … starting), or failed and not yet replaced. */
  pending: number;
  /** Told to stop but still holding a node. */
  stopping: number;
  total: number;
}

const ASSIGNED = stateRank('assigned');
const RUNNING = stateRank('running');

/** `into`: a buffer to reuse for the per-node counts (cleared first). */
export function tally(tasks: TaskFacts[], nodeIndex: Map<string, number>, nodeCount: number, into?: Int32Array): Tally {
  const running = into ? into.fill(0) : new Int32Array(nodeCount);
  const t: Tally = { running, holders: [], lost: 0, pending: 0, stopping: 0, total: 0 };
  for (const task of tasks) {
    if (isRunning(task)) {
      const i = task.nodeId === null ? undefined : nodeIndex.get(task.nodeId);
      if (i === undefined) t.lost++;
      else if (t.running[i]!++ === 0) t.holders.push(i);
      t.total++;
    } else if (isWanted(task)) {
      t.pending++;
    } else {
      const s = stateRank(task.state);
      if (task.nodeId !== null && s >= ASSIGNED && s <= RUNNING) t.stopping++;
    }
  }
  return t;
}

const tasks = (n: number) => `${n} task${n === 1 ? '' : 's'}`;

/** Why the service is not settled (Swarm is still placing or stopping tasks), or null. */
export function settleReason(service: ServiceFacts, t: Tally, fit: NodeFit): string | null {
  if (t.pending > 0) return `not settled: ${tasks(t.pending)} pending`;
  if (t.stopping > 0) return `not settled: ${tasks(t.stopping)} stopping`;
  if (t.total !== service.replicas) return `not settled: ${t.total} of ${service.replicas} replicas running`;
  let away = t.lost;
  for (const i of t.holders) if (!fit.keeps[i]) away += t.running[i]!;
  // Down, drained or no longer matching: Swarm moves these itself.
  if (away > 0) return `not settled: ${tasks(away)} on unavailable nodes`;
  return null;
}
