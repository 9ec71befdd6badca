// What the Docker Engine API returns, checked with zod at the adapter: only the fields we read, each
// optional as the API allows; every other field is kept (a spec written back must lose nothing).
import { z } from 'zod';
import type { ApiNode, ApiService, ApiTask, ClusterSnapshot } from '../rebalance/snapshot.js';
import { DockerResponseError, type DockerEvent, type ServiceDetail, type ServiceSpec } from './docker.js';

const opt = <T extends z.ZodType>(t: T) => t.optional();
const labels = z.record(z.string(), z.string()).nullable().optional();
const resources = z.looseObject({ NanoCPUs: opt(z.number()), MemoryBytes: opt(z.number()) });
const platform = z.looseObject({ Architecture: opt(z.string()), OS: opt(z.string()) });
const port = z.looseObject({ Protocol: opt(z.string()), TargetPort: opt(z.number()), PublishedPort: opt(z.number()), PublishMode: opt(z.string()) });
const ports = z.array(port).nullable().optional();
const version = z.looseObject({ Index: opt(z.number()) });
const limits = z.looseObject({ Limits: opt(resources), Reservations: opt(resources) });

const node = z.looseObject({
  ID: z.string(),
  Version: opt(version),
  Spec: opt(z.looseObject({ Name: opt(z.string()), Labels: labels, Role: opt(z.string()), Availability: opt(z.string()) })),
  Description: opt(z.looseObject({
    Hostname: opt(z.string()),
    Platform: opt(platform),
    Resources: opt(resources),
    Engine: opt(z.looseObject({ EngineVersion: opt(z.string()), Labels: labels })),
  })),
  Status: opt(z.looseObject({ State: opt(z.string()), Message: opt(z.string()), Addr: opt(z.string()) })),
  ManagerStatus: opt(z.looseObject({ Leader: opt(z.boolean()), Reachability: opt(z.string()), Addr: opt(z.string()) })),
});

const spec = z.looseObject({
  Name: opt(z.string()),
  Labels: labels,
  TaskTemplate: opt(z.looseObject({
    Placement: opt(z.looseObject({
      Constraints: z.array(z.string()).nullable().optional(),
      Preferences: z.array(z.looseObject({ Spread: opt(z.looseObject({ SpreadDescriptor: opt(z.string()) })) })).nullable().optional(),
      MaxReplicas: opt(z.number()),
      Platforms: z.array(platform).nullable().optional(),
    })),
    Resources: opt(limits),
  })),
  Mode: opt(z.looseObject({
    Replicated: opt(z.looseObject({ Replicas: opt(z.number().int().min(0)) })),
    Global: opt(z.looseObject({})),
    ReplicatedJob: opt(z.looseObject({ MaxConcurrent: opt(z.number()), TotalCompletions: opt(z.number()) })),
    GlobalJob: opt(z.looseObject({})),
  })),
  EndpointSpec: opt(z.looseObject({ Mode: opt(z.string()), Ports: ports })),
});

const service = z.looseObject({
  ID: z.string(),
  Version: opt(version),
  Spec: opt(spec),
  UpdateStatus: opt(z.looseObject({ State: opt(z.string()), Message: opt(z.string()) })),
});

const serviceDetail = z.looseObject({
  ID: z.string(),
  Version: z.looseObject({ Index: z.number() }),
  Spec: spec,
  PreviousSpec: opt(spec),
});

const task = z.looseObject({
  ID: z.string(),
  Version: opt(version),
  ServiceID: opt(z.string()),
  NodeID: opt(z.string()),
  Slot: opt(z.number()),
  Spec: opt(z.looseObject({ Resources: opt(limits) })),
  Status: opt(z.looseObject({ State: opt(z.string()), Message: opt(z.string()), PortStatus: opt(z.looseObject({ Ports: ports })) })),
  DesiredState: opt(z.string()),
  CreatedAt: opt(z.string()),
});

const info = z.looseObject({
  Name: opt(z.string()),
  Swarm: opt(z.looseObject({ NodeID: opt(z.string()), ControlAvailable: opt(z.boolean()) })),
});

const container = z.looseObject({ Id: z.string(), Labels: z.record(z.string(), z.string()).nullable().optional() });
const containerDetail = z.looseObject({ HostConfig: opt(z.looseObject({ LogConfig: opt(z.looseObject({ Type: opt(z.string()) })) })) });

const event = z.looseObject({
  Type: z.string(),
  Action: z.string(),
  Actor: z.looseObject({ ID: z.string(), Attributes: opt(z.record(z.string(), z.string())) }),
  time: z.number(),
  timeNano: opt(z.number()),
});

function check<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw new DockerResponseError(what, r.error.issues.map((i) => `${i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') || '(reply)'}: ${i.message}`));
}

export const readNodes = (v: unknown): ApiNode[] => check(z.array(node), v, 'GET /nodes');
export const readServices = (v: unknown): ApiService[] => check(z.array(service), v, 'GET /services');
export const readTasks = (v: unknown): ApiTask[] => check(z.array(task), v, 'GET /tasks');
export const readService = (v: unknown): ServiceDetail => check(serviceDetail, v, 'GET /services/{id}');
export const readInfo = (v: unknown) => check(info, v, 'GET /info');
export const readNode = (v: unknown): ApiNode => check(node, v, 'GET /nodes/{id}');
export const readContainers = (v: unknown) => check(z.array(container), v, 'GET /containers/json');
export const readContainer = (v: unknown) => check(containerDetail, v, 'GET /containers/{id}/json');

export function readSnapshot(nodes: unknown, services: unknown, tasks: unknown): ClusterSnapshot {
  return { nodes: readNodes(nodes), services: readServices(services), tasks: readTasks(tasks) };
}

/** A spec we stored ourselves (in a label) and read back: the same checks as Docker's. */
export function readServiceSpec(v: unknown): ServiceSpec | undefined {
  const r = spec.safeParse(v);
  return r.success ? r.data : undefined;
}

/** One line of GET /events, or undefined when it is not an event we can read. */
export function readEvent(v: unknown): DockerEvent | undefined {
  const r = event.safeParse(v);
  return r.success ? r.data : undefined;
}
