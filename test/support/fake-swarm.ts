// An in-memory swarm behind DockerClient, for unit tests of the executor and the rebalancer. It keeps
// what was measured on the lab and read in swarmkit (replicated/services.go, slot.go) of Swarm:
// - one store-wide version index that jumps with every write (services and tasks); an update at a
//   stale service version fails with "update out of sequence";
// - scale-up fills the lowest free slots and puts each new task on the eligible node with the fewest
//   tasks of the service; the task runs `startMs` later on the injected clock;
// - scale-down removes tasks without a node first, then by "n-th copy of this service on its node"
//   (highest first), ties by highest slot; a removed task holds its node for `stopMs`.
import type { Clock } from '../../src/adapters/clock.js';
import { OutOfSequenceError, type ApiTask, type DockerClient, type DockerEvent, type EventStream, type LocalNode, type RawSnapshot, type ServiceDetail, type ServiceSpec, type TaskContainer } from '../../src/adapters/docker.js';
import type { ApiNode } from '../../src/rebalance/snapshot.js';

export interface FakeNode {
  hostname: string;
  role?: 'manager' | 'worker';
  availability?: 'active' | 'pause' | 'drain';
  state?: 'ready' | 'down';
}

interface Service {
  ID: string;
  Version: { Index: number };
  Spec: ServiceSpec;
  PreviousSpec?: ServiceSpec;
}

interface Task {
  ID: string;
  ServiceID: string;
  NodeID?: string;
  Slot: number;
  DesiredState: string;
  Status: { State: string };
  Version: { Index: number };
}

/** A write that landed, in order: who wrote what (tests check nobody overwrote anybody). */
export interface Write {
  service: string;
  version: number;
  replicas: number | undefined;
  labels: Record<string, string>;
  by: 'client' | 'operator';
  /** Clock time of the write. */
  at: number;
}

type Call = 'snapshot' | 'inspectService' | 'serviceTasks' | 'updateService' | 'localNode';

const clone = <T>(v: T): T => structuredClone(v);
const replicasOf = (spec: ServiceSpec) => spec.Mode?.Replicated?.Replicas ?? 0;

export class FakeSwarm implements DockerClient {
  /** Store-wide: every write to the store takes the next index. */
  private index = 100;
  private ids = 0;
  private readonly nodeList: ApiNode[];
  private readonly services = new Map<string, Service>();
  private readonly tasks: Task[] = [];
  readonly writes: Write[] = [];
  /** Delay from a task's creation to running; from its removal to gone. */
  startMs = 500;
  stopMs = 1500;
  /** Runs before every call; throw (a DockerTimeoutError, …) to make that call fail, or change the swarm in between. */
  fault?: (call: Call, serviceId?: string) => void | Promise<void>;

  constructor(private readonly clock: Clock, nodes: FakeNode[]) {
    this.nodeList = nodes.map((n, i) => ({
      ID: `node${i + 1}id`,
      Spec: { Role: n.role ?? (i === 0 ? 'manager' : 'worker'), Availability: n.availability ?? 'active' },
      Description: { Hostname: n.hostname },
      Status: { State: n.state ?? 'ready' },
      ...(i === 0 && { ManagerStatus: { Leader: true } }),
    }));
  }

  nodeId(hostname: string): string {
    const n = this.nodeList.find((x) => x.Description?.Hostname === hostname);
    if (!n) throw new Error(`fake swarm: no node ${hostname}`);
    return n.ID;
  }

  /** A service whose running tasks are already placed as given (hostname → count), e.g. an unbalanced one. */
  createService(name: string, placement: Record<string, number>, labels: Record<string, string> = {}): string {
    const id = `svc-${name}`;
    const replicas = Object.values(placement).reduce((a, b) => a + b, 0);
    this.services.set(id, { ID: id, Version: { Index: this.next() }, Spec: { Name: name, Labels: labels, Mode: { Replicated: { Replicas: replicas } }, UpdateConfig: { Parallelism: 1, Order: 'start-first' } } });
    let slot = 1;
    for (const [host, n] of Object.entries(placement)) {
      for (let i = 0; i < n; i++) this.tasks.push(this.task(id, slot++, this.nodeId(host), 'running'));
    }
    return id;
  }

  /** `docker service scale`: an operator's write at the current version. */
  scale(name: string, replicas: number): void {
    const svc = this.byName(name);
    this.write(svc, { ...svc.Spec, Mode: { Replicated: { Replicas: replicas } } }, 'operator');
  }

  /** An operator's write of any spec change (a label, a deploy without our label …) at the current version. */
  edit(name: string, change: (spec: ServiceSpec) => ServiceSpec): void {
    const svc = this.byName(name);
    this.write(svc, change(clone(svc.Spec)), 'operator');
  }

  /** Running tasks per hostname (what `docker service ps` shows as running). */
  running(name: string): Record<string, number> {
    const svc = this.byName(name);
    const out: Record<string, number> = {};
    for (const t of this.tasks) {
      if (t.ServiceID !== svc.ID || t.DesiredState !== 'running' || t.Status.State !== 'running') continue;
      const host = this.nodeList.find((n) => n.ID === t.NodeID)?.Description?.Hostname ?? '?';
      out[host] = (out[host] ?? 0) + 1;
    }
    return out;
  }

  spec(name: string): ServiceSpec {
    return clone(this.byName(name).Spec);
  }

  // --- DockerClient ---

  async ping(): Promise<void> {}

  async localNode(): Promise<LocalNode> {
    await this.fault?.('localNode');
    return { nodeId: this.nodeList[0]!.ID, hostname: this.nodeList[0]!.Description?.Hostname ?? '', isManager: true, isLeader: true };
  }

  async snapshot(): Promise<RawSnapshot> {
    await this.fault?.('snapshot');
    return clone({ nodes: this.nodeList, services: [...this.services.values()], tasks: this.tasks as ApiTask[] });
  }

  async inspectService(id: string): Promise<ServiceDetail> {
    await this.fault?.('inspectService', id);
    return clone(this.get(id));
  }

  async serviceTasks(id: string): Promise<ApiTask[]> {
    await this.fault?.('serviceTasks', id);
    return clone(this.tasks.filter((t) => t.ServiceID === id));
  }

  async updateService(id: string, version: number, spec: ServiceSpec): Promise<void> {
    await this.fault?.('updateService', id);
    const svc = this.get(id);
    if (version !== svc.Version.Index) throw new OutOfSequenceError(id);
    this.write(svc, clone(spec), 'client');
  }

  async taskContainers(): Promise<TaskContainer[]> {
    return [];
  }

  async followLogs(): Promise<EventStream> {
    return { stop() {} };
  }

  async events(_since: number, _f: Record<string, string[]>, _on: (e: DockerEvent) => void): Promise<EventStream> {
    return { stop() {} };
  }

  // --- the orchestrator ---

  private next(): number {
    return ++this.index;
  }

  private get(id: string): Service {
    const svc = this.services.get(id) ?? [...this.services.values()].find((s) => s.Spec.Name === id);
    if (!svc) throw new Error(`fake swarm: no service ${id}`);
    return svc;
  }

  private byName(name: string): Service {
    return this.get(name);
  }

  private write(svc: Service, spec: ServiceSpec, by: Write['by']): void {
    svc.PreviousSpec = svc.Spec;
    svc.Spec = spec;
    svc.Version = { Index: this.next() };
    this.writes.push({ service: spec.Name ?? svc.ID, version: svc.Version.Index, replicas: spec.Mode?.Replicated?.Replicas, labels: { ...(spec.Labels ?? {}) }, by, at: this.clock.now() });
    this.reconcile(svc);
  }

  private task(serviceId: string, slot: number, nodeId: string | undefined, state: string): Task {
    return { ID: `task${++this.ids}`, ServiceID: serviceId, NodeID: nodeId, Slot: slot, DesiredState: 'running', Status: { State: state }, Version: { Index: this.next() } };
  }

  private reconcile(svc: Service): void {
    const live = this.tasks.filter((t) => t.ServiceID === svc.ID && t.DesiredState === 'running');
    const want = replicasOf(svc.Spec);
    if (want > live.length) this.scaleUp(svc, live, want - live.length);
    else if (want < live.length) this.scaleDown(live, live.length - want);
  }

  private scaleUp(svc: Service, live: Task[], n: number): void {
    const used = new Set(live.map((t) => t.Slot));
    const eligible = this.nodeList.filter((x) => x.Status?.State === 'ready' && x.Spec?.Availability === 'active');
    const count = (id: string) => this.tasks.filter((t) => t.ServiceID === svc.ID && t.DesiredState === 'running' && t.NodeID === id).length;
    for (let slot = 1, made = 0; made < n; slot++) {
      if (used.has(slot)) continue;
      const node = [...eligible].sort((a, b) => count(a.ID) - count(b.ID))[0];
      const t = this.task(svc.ID, slot, node?.ID, node ? 'assigned' : 'pending');
      this.tasks.push(t);
      made++;
      if (node) this.clock.setTimeout(() => this.setState(t, 'running', 'running'), this.startMs);
    }
  }

  private scaleDown(live: Task[], n: number): void {
    // n-th copy on its node: running tasks counted first, then by slot.
    const order = [...live].sort((a, b) => Number(b.Status.State === 'running') - Number(a.Status.State === 'running') || a.Slot - b.Slot);
    const perNode = new Map<string, number>();
    const ranked = order.map((t) => {
      if (!t.NodeID) return { t, copy: Infinity };
      const copy = (perNode.get(t.NodeID) ?? 0) + 1;
      perNode.set(t.NodeID, copy);
      return { t, copy };
    });
    ranked.sort((a, b) => b.copy - a.copy || b.t.Slot - a.t.Slot);
    for (const { t } of ranked.slice(0, n)) {
      t.DesiredState = 'shutdown';
      t.Version = { Index: this.next() };
      if (!t.NodeID) this.setState(t, 'shutdown', 'shutdown');
      else this.clock.setTimeout(() => this.setState(t, 'shutdown', 'shutdown'), this.stopMs);
    }
  }

  private setState(t: Task, state: string, onlyIfDesired: string): void {
    if (t.DesiredState !== onlyIfDesired) return;
    t.Status = { State: state };
    t.Version = { Index: this.next() };
  }
}
