// Which tasks Swarm stops when a service is scaled down (swarmkit manager/orchestrator/replicated/
// services.go reconcile + slot.go). Slots are ordered running first, then by slot number; each slot
// gets an index "n-th copy of this service on its node"; slots without exactly one task on a node get
// none and go first. Then the highest indexes go, and among equal indexes the slot that came last:
// the not-running one, else the highest slot. Task age, constraints, max replicas per node,
// resources and placement preferences play no part.
import type { SlotTask } from './service-view.js';

export interface ScaleDownPrediction {
  /** IDs of the tasks that will be stopped. */
  removed: string[];
  /**
   * False when equal indexes on different nodes straddle the cut and there are more than 12 slots:
   * Go's sort.Sort is a stable insertion sort only up to 12 elements, beyond that ties reorder.
   */
  sure: boolean;
}

interface Ranked {
  tasks: SlotTask[];
  running: boolean;
  slot: number;
  /** -1: no single task on a node. */
  index: number;
}

const STABLE_SORT_LIMIT = 12;

/**
 * `looseSlots`: IDs of tasks whose slot numbers are shuffled among themselves (new tasks placed on
 * several nodes: Swarm hands out their slots in random order). The prediction is unsure when that
 * shuffle could change which node loses a task.
 */
export function predictScaleDown(tasks: SlotTask[], k: number, looseSlots: ReadonlySet<string> = new Set()): ScaleDownPrediction {
  const bySlot = new Map<number, SlotTask[]>();
  for (const t of tasks) {
    const group = bySlot.get(t.slot);
    if (group) group.push(t);
    else bySlot.set(t.slot, [t]);
  }
  const slots: Ranked[] = [...bySlot.entries()].map(([slot, group]) => ({
    tasks: group,
    running: group.some((t) => t.running),
    slot,
    index: -1,
  }));
  // slotsByRunningState: running first, then lower slot first.
  slots.sort((a, b) => (a.running !== b.running ? (a.running ? -1 : 1) : a.slot - b.slot));
  const copies = new Map<string, number>();
  for (const s of slots) {
    const only = s.tasks.length === 1 ? s.tasks[0]! : undefined;
    if (!only || only.nodeId === null) continue;
    const n = (copies.get(only.nodeId) ?? 0) + 1;
    copies.set(only.nodeId, n);
    s.index = n;
  }
  // slotsByIndex: ascending index, -1 last; stable, as Go's insertion sort is for small inputs.
  const key = (s: Ranked) => (s.index < 0 ? Infinity : s.index);
  const ordered = slots.slice().sort((a, b) => key(a) - key(b));
  const keep = Math.max(0, ordered.length - k);
  const removed = ordered.slice(keep);
  let sure = true;
  if (ordered.length > STABLE_SORT_LIMIT && keep > 0 && removed.length > 0) {
    const cut = key(ordered[keep - 1]!);
    // Slots with no node change no node's count whichever of them goes.
    sure = cut === Infinity || key(removed[0]!) !== cut;
  }
  if (sure && looseSlots.size > 0 && keep > 0 && removed.length > 0) sure = shuffleSafe(tasks, ordered, keep, looseSlots, key);
  return { removed: removed.flatMap((s) => s.tasks.map((t) => t.id)), sure };
}

/**
 * With loose slots, the n-th copy on a node is its n-th lowest slot for some shuffle: bound it from
 * below (the node gets the lowest loose slots) and above (the highest). The cut is safe when every
 * removed tie's lowest bound beats every kept tie's highest.
 */
function shuffleSafe(
  tasks: SlotTask[],
  ordered: Ranked[],
  keep: number,
  loose: ReadonlySet<string>,
  key: (s: Ranked) => number,
): boolean {
  const cut = key(ordered[keep]!);
  if (cut === Infinity || key(ordered[keep - 1]!) !== cut) return true;
  if (tasks.some((t) => !t.running)) return false;
  const pool = tasks.filter((t) => loose.has(t.id)).map((t) => t.slot).sort((a, b) => a - b);
  const bounds = (nodeId: string): [number, number] => {
    const fixed = tasks.filter((t) => t.nodeId === nodeId && !loose.has(t.id)).map((t) => t.slot);
    const m = tasks.filter((t) => t.nodeId === nodeId && loose.has(t.id)).length;
    const nth = (extra: number[]) => [...fixed, ...extra].sort((a, b) => a - b)[cut - 1]!;
    return [nth(pool.slice(0, m)), nth(pool.slice(pool.length - m))];
  };
  const tied = (from: number, to: number) =>
    ordered.slice(from, to).filter((s) => key(s) === cut).map((s) => bounds(s.tasks[0]!.nodeId!));
  const removedLow = Math.min(...tied(keep, ordered.length).map((b) => b[0]));
  const keptHigh = Math.max(...tied(0, keep).map((b) => b[1]));
  return removedLow > keptHigh;
}
