// The snapshot read into plain, defaulted facts the planner works on (node IDs everywhere).
import type { ApiNode, ApiPort, ApiService, ApiTask, ClusterSnapshot, Labels } from './snapshot.js';
import { runToEnd, type Slices } from './slices.js';

export interface NodeFacts {
  id: string;
  hostname: string;
  /** "worker" | "manager" (Spec.Role). */
  role: string;
  /** "active" | "pause" | "drain". */
  availability: string;
  /** "ready" | "down" | "unknown" | "disconnected". */
  state: string;
  addr: string;
  os: string;
  arch: string;
  labels: Record<string, string>;
  engineLabels: Record<string, string>;
  nanoCpus: number;
  memoryBytes: number;
}

export type ServiceMode = 'replicated' | 'global' | 'job' | 'unknown';

export interface ServiceFacts {
  id: string;
  name: string;
  labels: Record<string, string>;
  mode: ServiceMode;
  replicas: number;
  constraints: string[];
  /** Spread descriptors in order, e.g. ["node.labels.zone", "node.labels.rack"]. */
  spread: string[];
  /** 0: no limit. */
  maxReplicas: number;
  platforms: { os: string; arch: string }[];
  nanoCpus: number;
  memoryBytes: number;
  /** Host-mode published ports as "tcp/8080": at most one such task per node. */
  hostPorts: string[];
  /** UpdateStatus.State, or null when the service was never updated. */
  updateState: string | null;
}

export interface TaskFacts {
  id: string;
  serviceId: string;
  nodeId: string | null;
  slot: number;
  state: string;
  desiredState: string;
  nanoCpus: number;
  memoryBytes: number;
  hostPorts: string[];
}

export interface Cluster {
  /** Sorted by node ID, so every loop over nodes is deterministic. */
  nodes: NodeFacts[];
  services: ServiceFacts[];
  tasks: TaskFacts[];
  nodeById: Map<string, NodeFacts>;
  tasksByService: Map<string, TaskFacts[]>;
  /** Node ID → hostname, made unique ("web1 (3fk2m9a0x1bc)") when two nodes share one. */
  displayNames: Map<string, string>;
  /** Entries skipped because they had no ID. */
  warnings: string[];
}

// swarmkit's TaskState numbers: the scheduler and orchestrator compare states by order.
const TASK_STATE_RANK: Record<string, number> = {
  new: 0, allocated: 32, pending: 64, assigned: 192, accepted: 256, preparing: 320, ready: 384,
  starting: 448, running: 512, complete: 576, shutdown: 640, failed: 704, rejected: 768,
  remove: 800, orphaned: 832,
};

/** Unknown states rank past every known one (treated as finished). */
export function stateRank(state: string): number {
  return TASK_STATE_RANK[state] ?? 1000;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0);
const labels = (v: Labels | undefined): Record<string, string> =>
  v && typeof v === 'object' ? (v as Record<string, string>) : {};
const list = <T>(v: T[] | null | undefined): T[] => (Array.isArray(v) ? v : []);

function hostPorts(ports: ApiPort[] | null | undefined): string[] {
  return list(ports)
    .filter((p) => p && p.PublishMode === 'host' && num(p.PublishedPort) > 0)
    .map((p) => `${str(p.Protocol) || 'tcp'}/${p.PublishedPort}`);
}

function readNode(n: ApiNode): NodeFacts {
  const d = n.Description ?? {};
  return {
    id: n.ID,
    hostname: str(d.Hostname),
    role: str(n.Spec?.Role),
    availability: str(n.Spec?.Availability),
    state: str(n.Status?.State),
    addr: str(n.Status?.Addr),
    os: str(d.Platform?.OS),
    arch: str(d.Platform?.Architecture),
    labels: labels(n.Spec?.Labels),
    engineLabels: labels(d.Engine?.Labels),
    nanoCpus: num(d.Resources?.NanoCPUs),
    memoryBytes: num(d.Resources?.MemoryBytes),
  };
}

function readMode(s: ApiService): { mode: ServiceMode; replicas: number } {
  const m = s.Spec?.Mode ?? {};
  if (m.Replicated) return { mode: 'replicated', replicas: num(m.Replicated.Replicas) };
  if (m.Global) return { mode: 'global', replicas: 0 };
  if (m.ReplicatedJob || m.GlobalJob) return { mode: 'job', replicas: 0 };
  return { mode: 'unknown', replicas: 0 };
}

function readService(s: ApiService): ServiceFacts {
  const t = s.Spec?.TaskTemplate ?? {};
  const p = t.Placement ?? {};
  return {
    id: s.ID,
    name: str(s.Spec?.Name) || s.ID,
    labels: labels(s.Spec?.Labels),
    ...readMode(s),
    constraints: list(p.Constraints).filter((c) => typeof c === 'string'),
    spread: list(p.Preferences)
      .map((pref) => str(pref?.Spread?.SpreadDescriptor))
      .filter((d) => d !== ''),
    maxReplicas: num(p.MaxReplicas),
    platforms: list(p.Platforms).map((pl) => ({ os: str(pl?.OS), arch: str(pl?.Architecture) })),
    nanoCpus: num(t.Resources?.Reservations?.NanoCPUs),
    memoryBytes: num(t.Resources?.Reservations?.MemoryBytes),
    hostPorts: hostPorts(s.Spec?.EndpointSpec?.Ports),
    updateState: str(s.UpdateStatus?.State) || null,
  };
}

function readTask(t: ApiTask): TaskFacts {
  const r = t.Spec?.Resources?.Reservations;
  return {
    id: t.ID,
    serviceId: str(t.ServiceID),
    nodeId: str(t.NodeID) || null,
    slot: num(t.Slot),
    state: str(t.Status?.State),
    desiredState: str(t.DesiredState),
    nanoCpus: num(r?.NanoCPUs),
    memoryBytes: num(r?.MemoryBytes),
    hostPorts: hostPorts(t.Status?.PortStatus?.Ports),
  };
}

function withIds<T extends { ID: string }>(what: string, items: unknown, warnings: string[]): T[] {
  if (!Array.isArray(items)) {
    if (items !== undefined) warnings.push(`snapshot.${what}: not an array (ignored)`);
    return [];
  }
  return items.filter((it, i) => {
    const ok = it && typeof it === 'object' && typeof (it as T).ID === 'string' && (it as T).ID !== '';
    if (!ok) warnings.push(`snapshot.${what}[${i}]: no ID (ignored)`);
    return ok;
  }) as T[];
}

function uniqueNames(nodes: NodeFacts[]): Map<string, string> {
  const seen = new Map<string, number>();
  for (const n of nodes) seen.set(n.hostname, (seen.get(n.hostname) ?? 0) + 1);
  const names = new Map<string, string>();
  for (const n of nodes) {
    const clash = n.hostname === '' || (seen.get(n.hostname) ?? 0) > 1;
    names.set(n.id, clash ? `${n.hostname || '?'} (${n.id.slice(0, 12)})` : n.hostname);
  }
  return names;
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Reads a snapshot loosely: entries without an ID are skipped with a warning, missing fields default. */
export function readCluster(snapshot: ClusterSnapshot): Cluster {
  return runToEnd(readClusterInSlices(snapshot));
}

const TASKS_PER_SLICE = 2_000;

/** readCluster, yielding every few thousand tasks (see slices.ts): a snapshot can hold 50,000. */
export function* readClusterInSlices(snapshot: ClusterSnapshot): Slices<Cluster> {
  const warnings: string[] = [];
  const raw = (snapshot ?? {}) as Partial<ClusterSnapshot>;
  const nodes = withIds<ApiNode>('nodes', raw.nodes, warnings).map(readNode).sort(byId);
  const services = withIds<ApiService>('services', raw.services, warnings).map(readService).sort(byId);
  const apiTasks = withIds<ApiTask>('tasks', raw.tasks, warnings);
  const tasks: TaskFacts[] = [];
  const tasksByService = new Map<string, TaskFacts[]>();
  for (let i = 0; i < apiTasks.length; i++) {
    if (i % TASKS_PER_SLICE === TASKS_PER_SLICE - 1) yield;
    const t = readTask(apiTasks[i]!);
    tasks.push(t);
    const group = tasksByService.get(t.serviceId);
    if (group) group.push(t);
    else tasksByService.set(t.serviceId, [t]);
  }
  return {
    nodes,
    services,
    tasks,
    nodeById: new Map(nodes.map((n) => [n.id, n])),
    tasksByService,
    displayNames: uniqueNames(nodes),
    warnings,
  };
}
