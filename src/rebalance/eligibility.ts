// Which nodes can hold a service's tasks, and how many: the scheduler's filters (ready + active,
// constraints, platforms, max replicas per node, reservations, host ports) turned into bounds.
import { stateRank, type Cluster, type ServiceFacts, type TaskFacts } from './cluster.js';
import { nodeMatches, parseConstraint, platformMatches, type Constraint } from './constraints.js';

const PENDING = stateRank('pending');
const RUNNING = stateRank('running');
const COMPLETE = stateRank('complete');

/** Holds its reservations on its node, as the scheduler counts (scheduler.go setupTasksList). */
export function holdsNode(t: TaskFacts): boolean {
  const s = stateRank(t.state);
  if (t.nodeId === null || s < PENDING || s > RUNNING) return false;
  return !(s === PENDING && stateRank(t.desiredState) > COMPLETE);
}

/** Counted in the scheduler's per-node task counts (nodeinfo.go: desired state up to complete). */
export function countsOnNode(t: TaskFacts): boolean {
  return holdsNode(t) && stateRank(t.desiredState) <= COMPLETE;
}

/** Still wanted by the orchestrator: a member of its slot (restart.go UpdatableTasksInSlot). */
export function isWanted(t: TaskFacts): boolean {
  return stateRank(t.desiredState) <= RUNNING;
}

export function isRunning(t: TaskFacts): boolean {
  return t.state === 'running' && t.desiredState === 'running';
}

/** What is already taken on each node (indexed like cluster.nodes). */
export interface NodeUsage {
  nanoCpus: Float64Array;
  memoryBytes: Float64Array;
  /** All tasks the scheduler counts on the node, every service: its tie-break after per-service counts. */
  tasks: Int32Array;
  hostPorts: Set<string>[];
}

export function nodeUsage(cluster: Cluster): NodeUsage {
  const n = cluster.nodes.length;
  const index = new Map(cluster.nodes.map((node, i) => [node.id, i]));
  const usage: NodeUsage = {
    nanoCpus: new Float64Array(n),
    memoryBytes: new Float64Array(n),
    tasks: new Int32Array(n),
    hostPorts: Array.from({ length: n }, () => new Set<string>()),
  };
  for (const t of cluster.tasks) {
    if (!holdsNode(t)) continue;
    const i = index.get(t.nodeId!);
    if (i === undefined) continue;
    usage.nanoCpus[i] += t.nanoCpus;
    usage.memoryBytes[i] += t.memoryBytes;
    if (countsOnNode(t)) usage.tasks[i]++;
    for (const p of t.hostPorts) usage.hostPorts[i]!.add(p);
  }
  return usage;
}

/** A copy to change; `ports: false` shares the host-port sets (the caller copies those it changes). */
export function copyUsage(u: NodeUsage, ports = true): NodeUsage {
  return {
    nanoCpus: u.nanoCpus.slice(),
    memoryBytes: u.memoryBytes.slice(),
    tasks: u.tasks.slice(),
    hostPorts: ports ? u.hostPorts.map((s) => new Set(s)) : u.hostPorts,
  };
}

/** Node-level verdicts for one service: can it run here at all, and may its tasks stay. */
export interface NodeFit {
  /** Ready, active, matching constraints and platforms: may receive new tasks. */
  accepts: Uint8Array;
  /** Ready and matching, active or paused: running tasks may stay. */
  keeps: Uint8Array;
  /** Paused: keeps or loses tasks but receives none. */
  paused: Uint8Array;
}

/** Constraint and platform verdicts depend only on the spec, so services with equal ones share them. */
export type FitCache = Map<string, NodeFit | string>;

/** The fit of every node, or the constraint swarmkit would not accept (as a string). */
export function nodeFit(service: ServiceFacts, cluster: Cluster, cache: FitCache): NodeFit | string {
  const key = JSON.stringify([service.constraints, service.platforms]);
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const parsed: Constraint[] = [];
  for (const expr of service.constraints) {
    const c = parseConstraint(expr);
    if (!c) {
      cache.set(key, expr);
      return expr;
    }
    parsed.push(c);
  }
  const n = cluster.nodes.length;
  const fit: NodeFit = { accepts: new Uint8Array(n), keeps: new Uint8Array(n), paused: new Uint8Array(n) };
  cluster.nodes.forEach((node, i) => {
    if (node.state !== 'ready' || !nodeMatches(parsed, node) || !platformMatches(service.platforms, node)) return;
    if (node.availability === 'active') fit.accepts[i] = fit.keeps[i] = 1;
    else if (node.availability === 'pause') fit.keeps[i] = fit.paused[i] = 1;
  });
  cache.set(key, fit);
  return fit;
}

/** How many more of this service's tasks node i can take (max replicas, reservations, host ports). */
export function roomOn(service: ServiceFacts, cluster: Cluster, usage: NodeUsage, i: number, own: number): number {
  let room = service.maxReplicas > 0 ? Math.max(0, service.maxReplicas - own) : Infinity;
  const node = cluster.nodes[i]!;
  if (service.nanoCpus > 0) {
    room = Math.min(room, Math.max(0, Math.floor((node.nanoCpus - usage.nanoCpus[i]!) / service.nanoCpus)));
  }
  if (service.memoryBytes > 0) {
    room = Math.min(room, Math.max(0, Math.floor((node.memoryBytes - usage.memoryBytes[i]!) / service.memoryBytes)));
  }
  if (service.hostPorts.length > 0 && room > 0) {
    room = service.hostPorts.some((p) => usage.hostPorts[i]!.has(p)) ? 0 : 1;
  }
  return room;
}

/** Per node (indexed like cluster.nodes): the fewest and most tasks the target may give it. */
export interface Bounds {
  lo: Int32Array;
  hi: Int32Array;
}

/**
 * lo..hi per node: accepting nodes may grow by their room; paused nodes may lose tasks but get none
 * (Swarm's own scale-down takes from them too); other nodes stay as they are.
 */
export function boundsFor(
  service: ServiceFacts,
  cluster: Cluster,
  usage: NodeUsage,
  fit: NodeFit,
  current: Int32Array,
): Bounds {
  const n = cluster.nodes.length;
  const lo = new Int32Array(n);
  const hi = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const own = current[i]!;
    if (!fit.accepts[i]) {
      hi[i] = own;
      lo[i] = fit.paused[i] ? 0 : own;
      continue;
    }
    hi[i] = own + Math.min(roomOn(service, cluster, usage, i, own), service.replicas);
  }
  return { lo, hi };
}
