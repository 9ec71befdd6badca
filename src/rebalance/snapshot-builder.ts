// Builds snapshots in the Docker Engine API's own shape from a short description, for tests and the
// benchmark. IDs are derived from names, so the same description always gives the same snapshot.
import type { ApiNode, ApiService, ApiTask, ClusterSnapshot } from './snapshot.js';

/** A 25-character Swarm-looking ID derived from a name. */
export function swarmId(name: string): string {
  let out = '';
  let h = 0x811c9dc5;
  for (let round = 0; out.length < 25; round++) {
    for (const ch of `${round}:${name}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    out += h.toString(36).padStart(7, '0');
  }
  return out.slice(0, 25);
}

export interface NodeDesc {
  hostname: string;
  labels?: Record<string, string>;
  engineLabels?: Record<string, string>;
  role?: 'worker' | 'manager';
  availability?: 'active' | 'pause' | 'drain';
  state?: 'ready' | 'down' | 'unknown' | 'disconnected';
  /** Cores. */
  cpus?: number;
  memoryGiB?: number;
  os?: string;
  arch?: string;
}

export interface ServiceDesc {
  name: string;
  replicas?: number;
  mode?: 'replicated' | 'global' | 'replicated-job' | 'global-job';
  labels?: Record<string, string>;
  constraints?: string[];
  spread?: string[];
  maxReplicas?: number;
  platforms?: { OS?: string; Architecture?: string }[];
  /** Reservations per task. */
  cpus?: number;
  memoryMiB?: number;
  hostPorts?: number[];
  updateState?: string;
  /** Running tasks per hostname, in slot order (slots 1, 2, … unless `slots` says otherwise). */
  running?: Record<string, number>;
  /** Explicit slots per hostname, overriding `running`. */
  slots?: Record<string, number[]>;
}

const NANO = 1e9;

export function apiNode(d: NodeDesc): ApiNode {
  const id = swarmId(`node:${d.hostname}`);
  return {
    ID: id,
    Version: { Index: 42 },
    Spec: { Labels: d.labels ?? {}, Role: d.role ?? 'worker', Availability: d.availability ?? 'active' },
    Description: {
      Hostname: d.hostname,
      Platform: { Architecture: d.arch ?? 'x86_64', OS: d.os ?? 'linux' },
      Resources: { NanoCPUs: (d.cpus ?? 2) * NANO, MemoryBytes: (d.memoryGiB ?? 4) * 1024 ** 3 },
      Engine: { EngineVersion: '20.10.24+dfsg1', Labels: d.engineLabels },
    },
    Status: { State: d.state ?? 'ready', Addr: '10.77.0.' + ((parseInt(id.slice(0, 4), 36) % 250) + 2) },
    ...(d.role === 'manager' ? { ManagerStatus: { Leader: false, Reachability: 'reachable', Addr: '10.77.0.2:2377' } } : {}),
  };
}

function mode(d: ServiceDesc): NonNullable<NonNullable<ApiService['Spec']>['Mode']> {
  switch (d.mode ?? 'replicated') {
    case 'global': return { Global: {} };
    case 'replicated-job': return { ReplicatedJob: { MaxConcurrent: 1, TotalCompletions: 1 } };
    case 'global-job': return { GlobalJob: {} };
    default: return { Replicated: { Replicas: d.replicas ?? 0 } };
  }
}

function reservations(d: ServiceDesc) {
  return {
    Limits: {},
    Reservations: {
      ...(d.cpus ? { NanoCPUs: Math.round(d.cpus * NANO) } : {}),
      ...(d.memoryMiB ? { MemoryBytes: d.memoryMiB * 1024 ** 2 } : {}),
    },
  };
}

export function apiService(d: ServiceDesc): ApiService {
  const ports = (d.hostPorts ?? []).map((p) => ({ Protocol: 'tcp', TargetPort: p, PublishedPort: p, PublishMode: 'host' }));
  return {
    ID: swarmId(`service:${d.name}`),
    Version: { Index: 120 },
    Spec: {
      Name: d.name,
      Labels: d.labels ?? {},
      TaskTemplate: {
        Placement: {
          ...(d.constraints ? { Constraints: d.constraints } : {}),
          ...(d.spread ? { Preferences: d.spread.map((s) => ({ Spread: { SpreadDescriptor: s } })) } : {}),
          ...(d.maxReplicas ? { MaxReplicas: d.maxReplicas } : {}),
          ...(d.platforms ? { Platforms: d.platforms } : {}),
        },
        Resources: reservations(d),
      },
      Mode: mode(d),
      ...(ports.length ? { EndpointSpec: { Mode: 'vip', Ports: ports } } : {}),
    },
    ...(d.updateState ? { UpdateStatus: { State: d.updateState, Message: 'update in progress' } } : {}),
  };
}

export function apiTask(
  d: ServiceDesc,
  hostname: string,
  slot: number,
  state = 'running',
  desired = 'running',
): ApiTask {
  const ports = (d.hostPorts ?? []).map((p) => ({ Protocol: 'tcp', TargetPort: p, PublishedPort: p, PublishMode: 'host' }));
  return {
    ID: swarmId(`task:${d.name}:${slot}:${hostname}:${state}:${desired}`),
    Version: { Index: 130 + slot },
    ServiceID: swarmId(`service:${d.name}`),
    NodeID: swarmId(`node:${hostname}`),
    Slot: slot,
    Spec: { Resources: reservations(d) },
    Status: { State: state, Message: state, ...(ports.length ? { PortStatus: { Ports: ports } } : {}) },
    DesiredState: desired,
  };
}

/** Running tasks for each service from its `running` or `slots`. */
export function buildSnapshot(nodes: NodeDesc[], services: ServiceDesc[], extraTasks: ApiTask[] = []): ClusterSnapshot {
  const tasks: ApiTask[] = [];
  for (const s of services) {
    let slot = 0;
    const slots = s.slots ?? Object.fromEntries(
      Object.entries(s.running ?? {}).map(([host, n]) => [host, Array.from({ length: n }, () => ++slot)]),
    );
    for (const [host, list] of Object.entries(slots)) for (const sl of list) tasks.push(apiTask(s, host, sl));
  }
  return { nodes: nodes.map(apiNode), services: services.map(apiService), tasks: [...tasks, ...extraTasks] };
}
