// Where Swarm puts k new tasks of a service (swarmkit manager/scheduler: scheduler.go
// scheduleTaskGroup / scheduleNTasksOnSubtree / scheduleNTasksOnNodes, nodeset.go tree). Nodes go
// into a tree by spread-preference values; each level is filled towards equal task counts per
// branch; at the leaves nodes are ranked by tasks of this service, then by tasks overall, and filled
// until the next node is better. Filters: ready + active, constraints, platforms, max replicas,
// reservations, host ports. Recent task failures on a node (also a ranking factor) are not in a
// snapshot and are ignored.
import { hasLimits } from './balance.js';
import { roomOn, type NodeUsage } from './eligibility.js';
import type { ServiceView, SlotTask } from './service-view.js';

export interface ScaleUpPrediction {
  /** The new tasks, running, in slot order; nodeId null for a task no node can take. */
  added: SlotTask[];
  /** False when Swarm decides a tie in Go's random map order and the tie changes the outcome. */
  sure: boolean;
  /** False when the new tasks land on several nodes: which slot goes where is random in Swarm. */
  slotsSure: boolean;
}

/** What the scheduler reads of a service view (the slots are not needed to place tasks). */
export type SchedulerView = Pick<ServiceView, 'cluster' | 'service' | 'fit' | 'levels' | 'usage' | 'own'>;

/** Node indexes in the order the new tasks were placed (fewer than k when nodes ran out). */
export interface Scheduled {
  placedOn: number[];
  sure: boolean;
}

interface Tree {
  tasks: number;
  /** Tasks the target wants added under this branch: our tie-break, see predictScaleUp. */
  wanted: number;
  next: Map<number, Tree> | null;
  /** Leaf: the nodes meeting the filters when the tree was built, best first. */
  nodes: number[];
  visited: boolean;
}

const newTree = (): Tree => ({ tasks: 0, wanted: 0, next: null, nodes: [], visited: false });

/** One scheduling pass: private copies of the counts it changes as tasks land. */
interface Pass {
  view: SchedulerView;
  own: Int32Array;
  total: Int32Array;
  usage: NodeUsage;
  reserves: boolean;
  portsTaken: Set<number>;
  /** Max replicas, reservations or host ports can limit room (else roomOn is Infinity). */
  limited: boolean;
  wanted: ArrayLike<number> | undefined;
  /** The whole task group: the leaves' heaps keep this many nodes. */
  k: number;
  /** The task group shrinks as tasks are placed: a branch asking for more than is left gets less. */
  left: number;
  got: Int32Array;
  placedOn: number[];
  sure: boolean;
}

/** The lowest k slot numbers with no wanted task (replicated/services.go addTasks). */
export function freeSlots(tasks: SlotTask[], k: number): number[] {
  const used = new Set(tasks.map((t) => t.slot));
  const free: number[] = [];
  for (let slot = 1; free.length < k; slot++) if (!used.has(slot)) free.push(slot);
  return free;
}

/** The k best by `cmp`, sorted: a full sort when k is not small against the list. */
function best(nodes: number[], k: number, cmp: (a: number, b: number) => number): number[] {
  if (k * 8 >= nodes.length) return nodes.slice().sort(cmp).slice(0, k);
  const top: number[] = [];
  for (const i of nodes) {
    if (top.length === k && cmp(i, top[k - 1]!) >= 0) continue;
    let at = top.length === k ? k - 1 : top.length;
    while (at > 0 && cmp(i, top[at - 1]!) < 0) {
      top[at] = top[at - 1]!;
      at--;
    }
    top[at] = i;
    if (top.length > k) top.length = k;
  }
  return top;
}

function startPass(view: SchedulerView, k: number, wanted: ArrayLike<number> | undefined): Pass {
  const { service } = view;
  const total = view.usage.tasks.slice();
  // Reservations change as tasks land: track them on a private copy (only if there are any).
  const reserves = service.nanoCpus > 0 || service.memoryBytes > 0;
  const usage = reserves
    ? { ...view.usage, nanoCpus: view.usage.nanoCpus.slice(), memoryBytes: view.usage.memoryBytes.slice(), tasks: total }
    : { ...view.usage, tasks: total };
  return {
    view, own: view.own.slice(), total, usage, reserves, portsTaken: new Set(), limited: hasLimits(service), wanted, k, left: k,
    got: new Int32Array(view.cluster.nodes.length), placedOn: [], sure: true,
  };
}

// roomOn is skipped when nothing limits room (it would say Infinity): buildTree asks for every node.
const meets = (p: Pass, i: number) =>
  p.view.fit.accepts[i] === 1 && (p.portsTaken.size === 0 || !p.portsTaken.has(i)) &&
  (!p.limited || roomOn(p.view.service, p.view.cluster, p.usage, i, p.own[i]!) > 0);
const less = (p: Pass, a: number, b: number) => p.own[a]! < p.own[b]! || (p.own[a] === p.own[b] && p.total[a]! < p.total[b]!);
const want = (p: Pass, i: number) => (p.wanted ? p.wanted[i]! : 0);
const tied = (p: Pass, a: number, b: number) => p.own[a] === p.own[b] && p.total[a] === p.total[b];
/** Fewest own, then fewest in all, then most wanted, then node order: as `less`, in one pass of subtractions. */
function orderOf(p: Pass): (a: number, b: number) => number {
  const { own, total, wanted } = p;
  if (!wanted) return (a, b) => own[a]! - own[b]! || total[a]! - total[b]! || a - b;
  return (a, b) => own[a]! - own[b]! || total[a]! - total[b]! || wanted[b]! - wanted[a]! || a - b;
}

/** The spread tree over every node; leaves list the nodes that meet the filters now. */
function buildTree(p: Pass): Tree {
  const root = newTree();
  const { group, path, paths } = p.view.levels;
  // Each node's branch at each level, found by its group path: no map lookup per node and level.
  const branches: Tree[][] = paths.map((n) => new Array<Tree>(n));
  for (let i = 0; i < p.own.length; i++) {
    const own = p.own[i]!;
    const wanted = want(p, i);
    let tree = root;
    for (let d = 0; d < group.length; d++) {
      tree.tasks += own;
      tree.wanted += wanted;
      const q = path[d]![i]!;
      let next = branches[d]![q];
      if (!next) {
        next = branches[d]![q] = newTree();
        (tree.next ??= new Map()).set(group[d]![i]!, next);
      }
      tree = next;
    }
    tree.tasks += own;
    tree.wanted += wanted;
    if (meets(p, i)) tree.nodes.push(i);
  }
  return root;
}

function assign(p: Pass, i: number): void {
  const { service } = p.view;
  p.left--;
  p.own[i]!++;
  p.total[i]!++;
  if (p.reserves) {
    p.usage.nanoCpus[i]! += service.nanoCpus;
    p.usage.memoryBytes[i]! += service.memoryBytes;
  }
  if (service.hostPorts.length > 0) p.portsTaken.add(i);
  p.got[i]!++;
  p.placedOn.push(i);
}

/** The leaf's candidates in order, and the nodes whose fate decides whether the outcome is sure. */
function leafNodes(p: Pass, leaf: Tree): { nodes: number[]; watched: number[] } {
  const order = orderOf(p);
  if (leaf.visited) {
    leaf.nodes = leaf.nodes.filter((i) => meets(p, i)).sort(order);
    return { nodes: leaf.nodes, watched: leaf.nodes };
  }
  // The heap keeps the k best (k: the whole task group); equals beyond the cut could have been kept.
  const nodes = best(leaf.nodes, p.k, order);
  const last = nodes[nodes.length - 1];
  const watched = nodes.slice();
  if (last !== undefined) {
    const kept = new Set(nodes);
    for (const i of leaf.nodes) if (tied(p, i, last) && !kept.has(i)) watched.push(i);
  }
  leaf.nodes = nodes;
  leaf.visited = true;
  return { nodes, watched };
}

/** The scheduler's loop over one leaf: fill the best node until the next one is better, then round-robin. */
function fillNodes(p: Pass, nodes: number[], n: number): number {
  let scheduled = 0;
  const failed = new Set<number>();
  let iter = 0;
  const count = nodes.length;
  while (scheduled < n && p.left > 0) {
    const current = nodes[iter % count]!;
    assign(p, current);
    scheduled++;
    if (scheduled === n || p.left === 0) break;
    if (iter + 1 < count) {
      if (less(p, nodes[(iter + 1) % count]!, current)) iter++;
    } else {
      iter++;
    }
    const start = iter;
    while (failed.has(iter % count) || !meets(p, nodes[iter % count]!)) {
      failed.add(iter % count);
      iter++;
      if (iter - start === count) return scheduled;
    }
  }
  return scheduled;
}

/** scheduleNTasksOnNodes. Equal nodes are ordered at random: the outcome is sure only if equals fared the same. */
function onNodes(p: Pass, leaf: Tree, n: number): number {
  const { nodes, watched } = leafNodes(p, leaf);
  if (nodes.length === 0) return 0;
  const before = watched.map((i) => p.got[i]!);
  const keys = watched.map((i) => `${p.own[i]}/${p.total[i]}`);
  const scheduled = fillNodes(p, nodes, n);
  const fared = new Map<string, number>();
  watched.forEach((i, w) => {
    const gain = p.got[i]! - before[w]!;
    const seen = fared.get(keys[w]!);
    if (seen !== undefined && seen !== gain) p.sure = false;
    fared.set(keys[w]!, gain);
  });
  return scheduled;
}

/**
 * scheduleNTasksOnSubtree: split across branches towards equal task counts (counts are not updated
 * between rounds, as in swarmkit); branches that cannot take their share drop out.
 */
function onSubtree(p: Pass, tree: Tree, n: number): number {
  if (tree.next === null) return onNodes(p, tree, n);
  const branches = [...tree.next.entries()].sort((a, b) => b[1].wanted - a[1].wanted || a[0] - b[0]).map(([, t]) => t);
  let scheduled = 0;
  let usable = tree.tasks;
  const noRoom = new Set<Tree>();
  for (let round = 0; scheduled !== n && noRoom.size !== branches.length && round < 1000; round++) {
    const open = branches.length - noRoom.size;
    const desired = Math.floor((usable + n - scheduled) / open);
    let remainder = (usable + n - scheduled) % open;
    const takers = branches.filter((b) => !noRoom.has(b) && b.tasks <= desired);
    const demand = takers.reduce((d, b) => d + desired - b.tasks + (remainder > 0 ? 1 : 0), 0);
    // Go ranges over a map, so order is random: it decides who gets the +1s when more branches
    // could take one, and who goes short when the branches ask for more tasks than are left.
    if ((remainder > 0 && takers.length > remainder) || demand > p.left) p.sure = false;
    for (const b of branches) {
      if (noRoom.has(b) || b.tasks > desired || (b.tasks === desired && remainder <= 0)) continue;
      const share = desired - b.tasks + (remainder > 0 ? 1 : 0);
      const res = onSubtree(p, b, share);
      if (res < share) {
        noRoom.add(b);
        usable -= b.tasks;
      } else if (remainder > 0) {
        remainder--;
      }
      scheduled += res;
    }
  }
  return scheduled;
}

/**
 * Which nodes k new tasks land on. `wanted` (tasks the target adds per node) only breaks ties that
 * Swarm breaks at random: the prediction then shows the outcome the plan hopes for, and `sure`
 * says whether it could differ.
 */
export function scheduleNew(view: SchedulerView, k: number, wanted?: ArrayLike<number>): Scheduled {
  const p = startPass(view, k, wanted);
  if (k > 0) onSubtree(p, buildTree(p), k);
  return { placedOn: p.placedOn, sure: p.sure };
}

/** scheduleNew, with the slots the orchestrator gives the new tasks. */
export function predictScaleUp(view: ServiceView, k: number, wanted?: ArrayLike<number>): ScaleUpPrediction {
  const { placedOn, sure } = scheduleNew(view, k, wanted);
  const added: SlotTask[] = freeSlots(view.tasks, k).map((slot, j) => {
    const i = placedOn[j];
    return { id: `new-${slot}`, slot, nodeId: i === undefined ? null : view.cluster.nodes[i]!.id, running: i !== undefined };
  });
  return { added, sure, slotsSure: new Set(placedOn).size <= 1 };
}
