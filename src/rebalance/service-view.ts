// One service as Swarm's orchestrator and scheduler see it: its slots, and per node its own task
// count, every task count and what is reserved. The scale predictions work on this, step by step.
import type { Cluster, ServiceFacts } from './cluster.js';
import {
  copyUsage, countsOnNode, isRunning, isWanted, nodeFit, nodeUsage,
  type FitCache, type NodeFit, type NodeUsage,
} from './eligibility.js';
import { spreadLevels, type SpreadCache, type SpreadLevels } from './spread.js';
import type { Placement } from './types.js';

/** A task in one of the service's slots, as the orchestrator ranks it on scale-down. */
export interface SlotTask {
  id: string;
  slot: number;
  nodeId: string | null;
  running: boolean;
}

export interface ServiceView {
  cluster: Cluster;
  service: ServiceFacts;
  fit: NodeFit;
  levels: SpreadLevels;
  usage: NodeUsage;
  /** This service's tasks the scheduler counts per node (indexed like cluster.nodes). */
  own: Int32Array;
  /** Wanted tasks (desired state up to running), one or more per slot. */
  tasks: SlotTask[];
  nodeIndex: Map<string, number>;
}

export interface ViewCaches {
  fit?: FitCache;
  spread?: SpreadCache;
  usage?: NodeUsage;
  nodeIndex?: Map<string, number>;
}

/** Finds a service by ID or name; undefined when none matches. */
export function findService(cluster: Cluster, idOrName: string): ServiceFacts | undefined {
  return cluster.services.find((s) => s.id === idOrName) ?? cluster.services.find((s) => s.name === idOrName);
}

/** The view of one service; null when its constraints cannot be parsed (then no node matches). */
export function serviceView(cluster: Cluster, service: ServiceFacts, caches: ViewCaches = {}): ServiceView | null {
  const fit = nodeFit(service, cluster, caches.fit ?? new Map());
  if (typeof fit === 'string') return null;
  const nodeIndex = caches.nodeIndex ?? new Map(cluster.nodes.map((n, i) => [n.id, i]));
  const own = new Int32Array(cluster.nodes.length);
  const tasks: SlotTask[] = [];
  for (const t of cluster.tasksByService.get(service.id) ?? []) {
    if (countsOnNode(t)) {
      const i = nodeIndex.get(t.nodeId!);
      if (i !== undefined) own[i]!++;
    }
    if (isWanted(t)) tasks.push({ id: t.id, slot: t.slot, nodeId: t.nodeId, running: isRunning(t) });
  }
  return {
    cluster,
    service,
    fit,
    levels: spreadLevels(service.spread, cluster, caches.spread ?? new Map()),
    usage: caches.usage ?? nodeUsage(cluster),
    own,
    tasks,
    nodeIndex,
  };
}

/** Running tasks per node ID. */
export function placementOf(view: ServiceView): Placement {
  const p: Placement = {};
  for (const t of view.tasks) if (t.running && t.nodeId !== null) p[t.nodeId] = (p[t.nodeId] ?? 0) + 1;
  return p;
}

/** The view after new running tasks were added and the tasks in `removed` were stopped. */
export function applyChanges(view: ServiceView, added: SlotTask[], removed: Set<string>): ServiceView {
  // Host-port sets are copied only for the nodes that change (copy on write).
  const usage = { ...copyUsage(view.usage, false), hostPorts: view.usage.hostPorts.slice() };
  const own = view.own.slice();
  const s = view.service;
  const change = (nodeId: string | null, sign: 1 | -1) => {
    const i = nodeId === null ? undefined : view.nodeIndex.get(nodeId);
    if (i === undefined) return;
    own[i]! += sign;
    usage.tasks[i]! += sign;
    usage.nanoCpus[i]! += sign * s.nanoCpus;
    usage.memoryBytes[i]! += sign * s.memoryBytes;
    if (s.hostPorts.length === 0) return;
    const ports = (usage.hostPorts[i] = new Set(usage.hostPorts[i]));
    for (const p of s.hostPorts) {
      if (sign > 0) ports.add(p);
      else ports.delete(p);
    }
  };
  for (const t of added) change(t.nodeId, 1);
  const kept: SlotTask[] = [];
  for (const t of [...view.tasks, ...added]) {
    if (removed.has(t.id)) change(t.nodeId, -1);
    else kept.push(t);
  }
  return { ...view, usage, own, tasks: kept };
}
