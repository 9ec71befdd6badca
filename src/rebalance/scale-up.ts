// Where Swarm puts k new tasks of a service (swarmkit manager/scheduler: scheduler.go
// scheduleTaskGroup / scheduleNTasksOnSubtree / scheduleNTasksOnNodes, nodeset.go tree). Nodes go
// into a tree by spread-preference values; each level is filled towards equal task counts per
// branch; at the leaves nodes are ranked by tasks of this service, then by tasks overall, and filled
// until the next node is better. Filters: ready + active, constraints, platforms, max replicas,
// reservations, host ports. Recent task failures on a node (also a ranking factor) are not in a
// snapshot and are ignored.
import { roomOn } from './eligibility.js';
import type { ServiceView, SlotTask } from './service-view.js';

export interface ScaleUpPrediction {
  /** The new tasks, running, in slot order; nodeId null for a task no node can take. */
  added: SlotTask[];
  /** False when Swarm decides a tie in Go's random map order and the tie changes the outcome. */
  sure: boolean;
  /** False when the new tasks land on several nodes: which slot goes where is random in Swarm. */
  slotsSure: boolean;
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

/**
 * `wanted` (tasks the target adds per node) only breaks ties that Swarm breaks at random: the
 * prediction then shows the outcome the plan hopes for, and `sure` says whether it could differ.
 */
export function predictScaleUp(view: ServiceView, k: number, wanted?: ArrayLike<number>): ScaleUpPrediction {
  const { cluster, service, fit, levels } = view;
  const own = view.own.slice();
  const total = view.usage.tasks.slice();
  // Reservations change as tasks land: track them on a private copy (only if there are any).
  const reserves = service.nanoCpus > 0 || service.memoryBytes > 0;
  const usage = reserves
    ? { ...view.usage, nanoCpus: view.usage.nanoCpus.slice(), memoryBytes: view.usage.memoryBytes.slice(), tasks: total }
    : { ...view.usage, tasks: total };
  const portsTaken = new Set<number>();
  const meets = (i: number) => fit.accepts[i] === 1 && !portsTaken.has(i) && roomOn(service, cluster, usage, i, own[i]!) > 0;
  const less = (a: number, b: number) => own[a]! < own[b]! || (own[a] === own[b] && total[a]! < total[b]!);
  const want = (i: number) => (wanted ? wanted[i]! : 0);
  const order = (a: number, b: number) => (less(a, b) ? -1 : less(b, a) ? 1 : want(b) - want(a) || a - b);
  const tied = (a: number, b: number) => !less(a, b) && !less(b, a);
  let sure = true;
  const got = new Int32Array(cluster.nodes.length);
  const placedOn: number[] = [];
  // The task group shrinks as tasks are placed: a branch asking for more than is left gets less.
  let left = k;

  const root: Tree = { tasks: 0, wanted: 0, next: null, nodes: [], visited: false };
  for (let i = 0; i < cluster.nodes.length; i++) {
    let tree = root;
    for (const group of levels.group) {
      tree.tasks += own[i]!;
      tree.wanted += want(i);
      tree.next ??= new Map();
      let next = tree.next.get(group[i]!);
      if (!next) tree.next.set(group[i]!, (next = { tasks: 0, wanted: 0, next: null, nodes: [], visited: false }));
      tree = next;
    }
    tree.tasks += own[i]!;
    tree.wanted += want(i);
    if (meets(i)) tree.nodes.push(i);
  }

  const assign = (i: number) => {
    left--;
    own[i]!++;
    total[i]!++;
    if (reserves) {
      usage.nanoCpus[i]! += service.nanoCpus;
      usage.memoryBytes[i]! += service.memoryBytes;
    }
    if (service.hostPorts.length > 0) portsTaken.add(i);
    got[i]!++;
    placedOn.push(i);
  };

  // scheduleNTasksOnNodes: fill the best node until the next one is better, then round-robin.
  const onNodes = (leaf: Tree, n: number): number => {
    let nodes: number[];
    let watched: number[];
    if (!leaf.visited) {
      // The heap keeps the k best (k: the whole task group); equals beyond the cut could have been kept.
      nodes = best(leaf.nodes, k, order);
      const last = nodes[nodes.length - 1];
      const kept = new Set(nodes);
      watched = last === undefined ? nodes : [...nodes, ...leaf.nodes.filter((i) => !kept.has(i) && tied(i, last))];
      leaf.nodes = nodes;
      leaf.visited = true;
    } else {
      nodes = leaf.nodes = leaf.nodes.filter(meets).sort(order);
      watched = nodes;
    }
    if (nodes.length === 0) return 0;
    const before = watched.map((i) => got[i]!);
    const keys = watched.map((i) => `${own[i]}/${total[i]}`);
    let scheduled = 0;
    const failed = new Set<number>();
    let iter = 0;
    const count = nodes.length;
    outer: while (scheduled < n && left > 0) {
      const current = nodes[iter % count]!;
      assign(current);
      scheduled++;
      if (scheduled === n || left === 0) break;
      if (iter + 1 < count) {
        if (less(nodes[(iter + 1) % count]!, current)) iter++;
      } else {
        iter++;
      }
      const start = iter;
      while (failed.has(iter % count) || !meets(nodes[iter % count]!)) {
        failed.add(iter % count);
        iter++;
        if (iter - start === count) break outer;
      }
    }
    // Equal nodes are ordered at random: the outcome is certain only if equals fared the same.
    const fared = new Map<string, number>();
    watched.forEach((i, w) => {
      const gain = got[i]! - before[w]!;
      const seen = fared.get(keys[w]!);
      if (seen !== undefined && seen !== gain) sure = false;
      fared.set(keys[w]!, gain);
    });
    return scheduled;
  };

  // scheduleNTasksOnSubtree: split across branches towards equal task counts (counts are not
  // updated between rounds, as in swarmkit); branches that cannot take their share drop out.
  const onSubtree = (tree: Tree, n: number): number => {
    if (tree.next === null) return onNodes(tree, n);
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
      if ((remainder > 0 && takers.length > remainder) || demand > left) sure = false;
      for (const b of branches) {
        if (noRoom.has(b)) continue;
        if (b.tasks < desired || (b.tasks === desired && remainder > 0)) {
          const want = desired - b.tasks + (remainder > 0 ? 1 : 0);
          const res = onSubtree(b, want);
          if (res < want) {
            noRoom.add(b);
            usable -= b.tasks;
          } else if (remainder > 0) {
            remainder--;
          }
          scheduled += res;
        }
      }
    }
    return scheduled;
  };

  if (k > 0) onSubtree(root, k);
  const slots = freeSlots(view.tasks, k);
  const added: SlotTask[] = slots.map((slot, j) => {
    const i = placedOn[j];
    return {
      id: `new-${slot}`,
      slot,
      nodeId: i === undefined ? null : cluster.nodes[i]!.id,
      running: i !== undefined,
    };
  });
  return { added, sure, slotsSure: new Set(placedOn).size <= 1 };
}
