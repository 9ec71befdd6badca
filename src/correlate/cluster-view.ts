// Turns the manager's view of the cluster into observations: node state changes, leader changes and
// task reallocations. Events are hints (exact times); each reconcile of /nodes and /tasks is the truth
// (Docker 20.10 has no task events and replays nothing across a daemon restart). Pure: no I/O.
import type { RawSnapshot, DockerEvent } from '../adapters/docker.js';
import type { LeaderChangeObservation, NodeState, NodeStateObservation, TaskMoveObservation } from './types.js';

export type ClusterObservation = NodeStateObservation | LeaderChangeObservation | TaskMoveObservation;

const STATES: ReadonlySet<string> = new Set<NodeState>(['ready', 'down', 'unknown', 'disconnected']);
/** Swarm's node states; anything else (a newer engine's) reads as unknown. */
const asState = (s: string | undefined): NodeState => (s && STATES.has(s) ? (s as NodeState) : 'unknown');

interface TaskSeen {
  id: string;
  node: string;
  created: number;
}

const MAX_TASKS_REMEMBERED = 200_000;

export class ClusterView {
  private nodeState = new Map<string, NodeState>();
  private names = new Map<string, string>();
  private leader?: string;
  private slots = new Map<string, TaskSeen>(); // service/slot (or service/node for global) → newest task
  private emitted = new Set<string>();
  private primed = false;

  constructor(private readonly recentMs: number) {}

  nodeName(id: string): string {
    return this.names.get(id) ?? id;
  }

  nodeIdToName(): Map<string, string> {
    return new Map(this.names);
  }

  /** A Docker event: `type=node action=update` carries state.old/state.new with an exact time. */
  event(e: DockerEvent): ClusterObservation[] {
    if (e.Type !== 'node') return [];
    const attrs = e.Actor.Attributes ?? {};
    if (!attrs['state.new']) return [];
    const to = asState(attrs['state.new']);
    const id = e.Actor.ID;
    if (attrs.name) this.names.set(id, attrs.name);
    const time = e.timeNano ? e.timeNano / 1e6 : e.time * 1000;
    return this.nodeChange(id, to, time, attrs['state.old'] === undefined ? undefined : asState(attrs['state.old']));
  }

  /** A full read of /nodes, /services and /tasks. */
  reconcile(snap: RawSnapshot, now: number): ClusterObservation[] {
    const out: ClusterObservation[] = [];
    let leader: string | undefined;
    for (const n of snap.nodes) {
      const name: string = n.Description?.Hostname ?? n.ID;
      this.names.set(n.ID, name);
      if (n.ManagerStatus?.Leader) leader = name;
      out.push(...this.nodeChange(n.ID, asState(n.Status?.State), now));
    }
    if (leader && leader !== this.leader) {
      if (this.leader !== undefined || this.primed) out.push({ type: 'leader-change', time: now, from: this.leader, to: leader });
      this.leader = leader;
    }
    out.push(...this.taskMoves(snap, now));
    this.primed = true;
    return out;
  }

  private nodeChange(id: string, to: NodeState, time: number, from?: NodeState): NodeStateObservation[] {
    const prev = this.nodeState.get(id);
    this.nodeState.set(id, to);
    if (prev === to || (prev === undefined && !this.primed && from === undefined)) return [];
    return [{ type: 'node-state', time, node: this.nodeName(id), nodeId: id, from: prev ?? from ?? 'unknown', to }];
  }

  private taskMoves(snap: RawSnapshot, now: number): TaskMoveObservation[] {
    const serviceName = new Map<string, string>(snap.services.map((s) => [s.ID, s.Spec?.Name ?? s.ID]));
    const tasks = [...snap.tasks]
      .flatMap((t) => (t.NodeID && t.Slot !== undefined ? [{ t, node: t.NodeID, slot: t.Slot, service: t.ServiceID ?? '' }] : []))
      .map((x) => ({ ...x, created: Date.parse(x.t.CreatedAt ?? '') || 0 }))
      .sort((a, b) => a.created - b.created);
    const out: TaskMoveObservation[] = [];
    for (const { t, node, slot, service, created } of tasks) {
      const key = `${service}/${slot}`;
      const prev = this.slots.get(key);
      if (prev && prev.id !== t.ID && created < prev.created) continue; // older than what we know
      this.slots.set(key, { id: t.ID, node, created });
      if (!prev || prev.id === t.ID || prev.node === node || this.emitted.has(t.ID)) continue;
      // A slot re-created on another node: a reallocation (on the first read, only recent ones count).
      if (!this.primed && now - created > this.recentMs) continue;
      this.emitted.add(t.ID);
      out.push({ type: 'task-move', time: created || now, service: serviceName.get(service) ?? service, taskSlot: slot, from: this.nodeName(prev.node), to: this.nodeName(node) });
    }
    if (this.emitted.size > MAX_TASKS_REMEMBERED) this.emitted = new Set([...this.emitted].slice(-MAX_TASKS_REMEMBERED / 2));
    return out;
  }
}
