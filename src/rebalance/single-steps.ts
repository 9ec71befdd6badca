// The one-task-at-a-time path of stepsFromView, worked out incrementally. Each step (scale up by
// one, scale back down by one) changes two nodes, so it is simulated from per-node counts and slot
// lists in time proportional to the nodes, not the tasks: a pool of 10,000 replicas can take
// hundreds of such steps, and re-simulating every task for each was quadratic. The result is the
// one simulateStep gives step by step (a property test compares the two).
import { copyUsage, type NodeUsage } from './eligibility.js';
import { toPlacement } from './placement.js';
import { scheduleNew, type SchedulerView } from './scale-up.js';
import type { ServiceView } from './service-view.js';
import type { Slices } from './slices.js';
import type { Placement, Step } from './types.js';

// Go's sort.Sort is stable below this many slots (see scale-down.ts).
const STABLE_SORT_LIMIT = 12;

/** One simulated step: the new task lands on `up` in slot `slot`; the one in `downSlot` on `down` stops. */
interface Trial {
  up: number;
  slot: number;
  down: number;
  downSlot: number;
  sure: boolean;
  /** Tasks still to move once the step is done. */
  left: number;
}

type TrialResult = Trial | { unplaced: true; sure: boolean };

/** Per node, the slots of its tasks in ascending order; the free slots as a min-heap below `next`. */
interface Slots {
  byNode: number[][];
  free: number[];
  next: number;
  total: number;
}

function heapPush(h: number[], v: number): void {
  let i = h.push(v) - 1;
  while (i > 0) {
    const up = (i - 1) >> 1;
    if (h[up]! <= v) break;
    h[i] = h[up]!;
    i = up;
  }
  h[i] = v;
}

function heapPop(h: number[]): number {
  const top = h[0]!;
  const last = h.pop()!;
  if (h.length === 0) return top;
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= h.length) break;
    const c = l + 1 < h.length && h[l + 1]! < h[l]! ? l + 1 : l;
    if (h[c]! >= last) break;
    h[i] = h[c]!;
    i = c;
  }
  h[i] = last;
  return top;
}

/** The slots, or null when the view is not plain: every wanted task running on a listed node, one per slot. */
function readSlots(view: ServiceView): Slots | null {
  const n = view.cluster.nodes.length;
  const byNode: number[][] = Array.from({ length: n }, () => []);
  const used = new Set<number>();
  let max = 0;
  for (const t of view.tasks) {
    const i = t.nodeId === null ? undefined : view.nodeIndex.get(t.nodeId);
    if (!t.running || i === undefined || !Number.isInteger(t.slot) || t.slot < 1 || used.has(t.slot)) return null;
    used.add(t.slot);
    byNode[i]!.push(t.slot);
    if (t.slot > max) max = t.slot;
  }
  // The free slots below the highest are listed once: refuse absurd slot numbers rather than list them.
  if (max > 2 * view.tasks.length + 1024) return null;
  for (let i = 0; i < n; i++) {
    if (byNode[i]!.length !== view.own[i]) return null; // the scheduler counts tasks the slots do not show
    byNode[i]!.sort((a, b) => a - b);
  }
  const free: number[] = [];
  for (let s = 1; s < max; s++) if (!used.has(s)) free.push(s); // ascending: already a heap
  return { byNode, free, next: max + 1, total: view.tasks.length };
}

class Walker {
  private readonly own: Int32Array;
  private readonly usage: NodeUsage;
  private readonly target: Int32Array;
  private readonly wanted: Int32Array;
  private readonly sched: SchedulerView;
  left = 0;

  /** Tasks per node now (in a plain view: running, and counted by the scheduler). */
  get counts(): Int32Array {
    return this.own;
  }

  constructor(
    private readonly view: ServiceView,
    private readonly slots: Slots,
    target: Int32Array,
  ) {
    this.own = view.own.slice();
    this.usage = copyUsage(view.usage, view.service.hostPorts.length > 0);
    this.target = target;
    this.wanted = new Int32Array(target.length);
    for (let i = 0; i < target.length; i++) {
      this.wanted[i] = Math.max(0, target[i]! - this.own[i]!);
      this.left += this.wanted[i]!;
    }
    this.sched = { ...view, own: this.own, usage: this.usage };
  }

  private lowestFree(): number {
    return this.slots.free.length > 0 ? this.slots.free[0]! : this.slots.next;
  }

  private maxSlot(i: number, up: number, slot: number): number {
    const list = this.slots.byNode[i]!;
    const top = list.length > 0 ? list[list.length - 1]! : 0;
    return i === up && slot > top ? slot : top;
  }

  /** Scale-down by one (scale-down.ts, all slots running): the highest slot among the nodes with most copies. */
  private scaleDown(up: number, slot: number): { down: number; downSlot: number; sure: boolean } {
    let most = -1;
    let ties = 0;
    let down = -1;
    let downSlot = -1;
    for (let i = 0; i < this.own.length; i++) {
      const count = this.own[i]! + (i === up ? 1 : 0);
      if (count === 0 || count < most) continue;
      const top = this.maxSlot(i, up, slot);
      if (count > most) {
        most = count;
        ties = 1;
        down = i;
        downSlot = top;
      } else {
        ties++;
        if (top > downSlot) {
          down = i;
          downSlot = top;
        }
      }
    }
    // Equal indexes on several nodes straddle the cut: Go's unstable sort decides past 12 slots.
    const sure = this.slots.total + 1 <= STABLE_SORT_LIMIT || ties === 1;
    return { down, downSlot, sure };
  }

  /** What scaling up and back down by one would do, steered towards the target or not. */
  trial(steer: boolean): TrialResult {
    const placed = scheduleNew(this.sched, 1, steer ? this.wanted : undefined);
    if (placed.placedOn.length === 0) return { unplaced: true, sure: placed.sure };
    const up = placed.placedOn[0]!;
    const slot = this.lowestFree();
    const d = this.scaleDown(up, slot);
    let left = this.left;
    const gap = (i: number, count: number) => Math.max(0, this.target[i]! - count);
    if (up === d.down) return { up, slot, ...d, sure: placed.sure && d.sure, left };
    left += gap(up, this.own[up]! + 1) - gap(up, this.own[up]!);
    left += gap(d.down, this.own[d.down]! - 1) - gap(d.down, this.own[d.down]!);
    return { up, slot, ...d, sure: placed.sure && d.sure, left };
  }

  /** Moves the counts on to the step's outcome. */
  commit(t: Trial): void {
    this.own[t.up]!++;
    this.change(t.up, 1);
    this.own[t.down]!--;
    this.change(t.down, -1);
    if (this.slots.free.length > 0 && this.slots.free[0] === t.slot) heapPop(this.slots.free);
    else this.slots.next++;
    const list = this.slots.byNode[t.up]!;
    let at = list.length;
    while (at > 0 && list[at - 1]! > t.slot) at--;
    list.splice(at, 0, t.slot);
    this.slots.byNode[t.down]!.pop(); // downSlot is its node's highest
    heapPush(this.slots.free, t.downSlot);
    this.left = t.left;
  }

  /** The node's usage and wanted count after a task arrives (+1; own already counted) or leaves (-1). */
  private change(i: number, sign: 1 | -1): void {
    const s = this.view.service;
    const u = this.usage;
    u.tasks[i]! += sign;
    u.nanoCpus[i]! += sign * s.nanoCpus;
    u.memoryBytes[i]! += sign * s.memoryBytes;
    for (const p of s.hostPorts) {
      if (sign > 0) u.hostPorts[i]!.add(p);
      else u.hostPorts[i]!.delete(p);
    }
    this.wanted[i] = Math.max(0, this.target[i]! - this.own[i]!);
  }
}

export type SingleSteps = { steps: Step[]; skipped: string | null };

// Every this many steps the counts are kept, so that any one step's placements are rebuilt quickly.
const CHECKPOINT_EVERY = 32;

/**
 * The steps' placements, built only when read: hundreds of steps times a thousand nodes would
 * otherwise be most of the planner's time and memory, and only the first step is carried out
 * before the service is planned again. Each step keeps the node it adds to and the one it takes from.
 */
class StepLog {
  private readonly ups: number[] = [];
  private readonly downs: number[] = [];
  private readonly checkpoints: Int32Array[] = [];

  constructor(private readonly view: ServiceView) {}

  add(t: Trial, countsBefore: Int32Array): Step {
    const j = this.ups.length;
    if (j % CHECKPOINT_EVERY === 0) this.checkpoints.push(countsBefore.slice());
    this.ups.push(t.up);
    this.downs.push(t.down);
    const step = { kind: 'scale', k: 1, replicas: this.view.service.replicas + 1, sure: t.sure } as Step;
    lazy(step, 'during', () => this.placement(j, false));
    lazy(step, 'after', () => this.placement(j, true));
    return step;
  }

  /** Running tasks per node while step j is scaled up, or once it is done. */
  private placement(j: number, done: boolean): Placement {
    const counts = this.checkpoints[Math.floor(j / CHECKPOINT_EVERY)]!.slice();
    for (let i = j - (j % CHECKPOINT_EVERY); i < j; i++) {
      counts[this.ups[i]!]!++;
      counts[this.downs[i]!]!--;
    }
    counts[this.ups[j]!]!++;
    if (done) counts[this.downs[j]!]!--;
    return toPlacement(counts, this.view.cluster);
  }
}

/** An enumerable property worked out on first read, then kept (JSON, spreads and equality see a plain value). */
function lazy<T extends object>(obj: T, key: keyof T & string, make: () => unknown): void {
  Object.defineProperty(obj, key, {
    enumerable: true,
    configurable: true,
    get() {
      const value = make();
      Object.defineProperty(obj, key, { value, enumerable: true, configurable: true, writable: true });
      return value;
    },
    set(value: unknown) {
      Object.defineProperty(obj, key, { value, enumerable: true, configurable: true, writable: true });
    },
  });
}

/**
 * One task at a time from the view's placement to the target: each step must bring the placement
 * closer. Null when the view is not plain (see readSlots) or the target names a node the cluster
 * does not list: then the caller simulates each step in full.
 */
export function* singleSteps(view: ServiceView, target: Placement): Slices<SingleSteps | null> {
  const counts = new Int32Array(view.cluster.nodes.length);
  for (const [id, n] of Object.entries(target)) {
    const i = view.nodeIndex.get(id);
    if (i === undefined) return null;
    counts[i] = n;
  }
  const slots = readSlots(view);
  if (!slots) return null;
  const walker = new Walker(view, slots, counts);
  const log = new StepLog(view);
  const steps: Step[] = [];
  while (walker.left > 0) {
    const steered = walker.trial(true);
    const tries = steered.sure ? [steered] : [steered, walker.trial(false)];
    if (tries.every((o) => 'unplaced' in o)) return { steps: [], skipped: 'no node can take a new task' };
    const one = tries.find((o): o is Trial => !('unplaced' in o) && o.left < walker.left);
    if (!one) return { steps: [], skipped: 'no scale sequence reaches the target' };
    steps.push(log.add(one, walker.counts));
    walker.commit(one);
    if (steps.length % 8 === 0) yield;
  }
  return { steps, skipped: null };
}
