// Rolls signals up into one manager-session state per node: connected → session-lost → recovered → connected.
// Pure: time comes only from the signals and from tick(now). No state latches: without new
// failures a node is recovered after `recoverAfter` and connected again after `connectedAfter`.
import type { Signal, SignalKind } from './types.js';

export type SessionState = 'connected' | 'session-lost' | 'recovered';

export interface NodeSession {
  node: string;
  state: SessionState;
  /** When the node entered this state (ms since the epoch). */
  since: number;
  /** Session failures in the current episode (reset when the node is connected again). */
  failures: number;
  lastErrorClass?: string;
  recoveredAt?: number;
  /** Time of the last signal about this node. */
  lastEvidenceAt: number;
  /** The node's Swarm node id, once a signal carried it. */
  nodeId?: string;
}

export interface SessionChange {
  node: string;
  from: SessionState;
  to: SessionState;
  at: number;
  /** failure: a failure signal; evidence: a signal that clears failures; quiet: no failure for a while. */
  reason: 'failure' | 'evidence' | 'quiet';
  /** The rule of the signal that caused it (failure, evidence). */
  rule?: string;
  session: NodeSession;
}

export interface SessionTrackerOptions {
  /** Signals that mean the node lost its manager session. */
  failureKinds?: readonly SignalKind[];
  /** session-lost → recovered after this long without a failure (ms). Above the agent's retry interval (≤ 8 s backoff + 5 s RPC timeout). */
  recoverAfter?: number;
  /** recovered → connected after this long without a failure (ms). */
  connectedAfter?: number;
  /** Nodes (and node ids) remembered; the least recently seen is forgotten past this. */
  maxNodes?: number;
}

interface Tracked extends NodeSession {
  lastFailureAt: number;
}

function snapshot(t: Tracked): NodeSession {
  const { lastFailureAt: _, ...session } = t;
  return session;
}

export class SessionTracker {
  private readonly nodes = new Map<string, Tracked>();
  private readonly names = new Map<string, string>(); // Swarm node id → node name
  private readonly failureKinds: ReadonlySet<SignalKind>;
  private readonly recoverAfter: number;
  private readonly connectedAfter: number;
  private readonly maxNodes: number;

  constructor(options: SessionTrackerOptions = {}) {
    this.failureKinds = new Set(options.failureKinds ?? ['heartbeat-failed', 'session-failed']);
    this.recoverAfter = options.recoverAfter ?? 30_000;
    this.connectedAfter = options.connectedAfter ?? 60_000;
    this.maxNodes = options.maxNodes ?? 10_000;
  }

  /** The node name a Swarm node id belongs to, as learned from signals that carry node.id. */
  nodeName(nodeId: string): string | undefined {
    return this.names.get(nodeId);
  }

  apply(signal: Signal): SessionChange | undefined {
    if (signal.nodeId) this.learn(signal.nodeId, signal.node);
    // Manager-side lines name another node by id: they are about that node (kept under its id until its name is known).
    const target = signal.subjectKind === 'node-id' && signal.subject ? (this.names.get(signal.subject) ?? signal.subject) : signal.node;
    const h = this.touch(target, signal.time);
    if (signal.nodeId && target === signal.node) h.nodeId = signal.nodeId;
    const t = signal.time;
    if (this.failureKinds.has(signal.kind)) {
      if (h.state === 'connected') {
        h.failures = 0;
        delete h.lastErrorClass;
      }
      h.failures++;
      if (signal.errorClass) h.lastErrorClass = signal.errorClass;
      h.lastFailureAt = Math.max(h.lastFailureAt, t);
      // a failure older than the recovery (read late from another node's journal) does not undo it
      if (h.state === 'session-lost' || (h.state === 'recovered' && t < (h.recoveredAt ?? -Infinity))) return undefined;
      return this.move(h, 'session-lost', t, 'failure', signal.rule);
    }
    if (h.state === 'session-lost' && t >= h.lastFailureAt && signal.clears?.some((k) => this.failureKinds.has(k))) {
      h.recoveredAt = t;
      return this.move(h, 'recovered', t, 'evidence', signal.rule);
    }
    return undefined;
  }

  /** Time-based transitions up to `now`; each happens at the moment its quiet period ended. */
  tick(now: number): SessionChange[] {
    const changes: SessionChange[] = [];
    for (const h of this.nodes.values()) {
      if (h.state === 'session-lost' && now - h.lastFailureAt >= this.recoverAfter) {
        const at = h.lastFailureAt + this.recoverAfter;
        h.recoveredAt = at;
        changes.push(this.move(h, 'recovered', at, 'quiet'));
      }
      const calmSince = Math.max(h.recoveredAt ?? -Infinity, h.lastFailureAt);
      if (h.state === 'recovered' && now - calmSince >= this.connectedAfter) {
        changes.push(this.move(h, 'connected', calmSince + this.connectedAfter, 'quiet'));
        h.failures = 0;
        delete h.lastErrorClass;
        changes[changes.length - 1].session = snapshot(h);
      }
    }
    return changes;
  }

  /** A node never seen is connected (since 0, no evidence). */
  get(node: string): NodeSession {
    const h = this.nodes.get(node);
    return h ? snapshot(h) : { node, state: 'connected', since: 0, failures: 0, lastEvidenceAt: 0 };
  }

  all(): NodeSession[] {
    return [...this.nodes.values()].map(snapshot);
  }

  private move(h: Tracked, to: SessionState, at: number, reason: SessionChange['reason'], rule?: string): SessionChange {
    const from = h.state;
    h.state = to;
    h.since = at;
    return { node: h.node, from, to, at, reason, ...(rule ? { rule } : {}), session: snapshot(h) };
  }

  private touch(node: string, time: number): Tracked {
    let h = this.nodes.get(node);
    if (h) this.nodes.delete(node); // re-inserted last: the Map's order is least recently seen first
    else h = { node, state: 'connected', since: time, failures: 0, lastEvidenceAt: time, lastFailureAt: -Infinity };
    h.lastEvidenceAt = Math.max(h.lastEvidenceAt, time);
    this.nodes.set(node, h);
    this.trim();
    return h;
  }

  /** Records id → name; state kept under the bare id (manager lines seen first) moves to the name. */
  private learn(nodeId: string, node: string): void {
    if (this.names.get(nodeId) === node) return;
    this.names.delete(nodeId);
    this.names.set(nodeId, node);
    const byId = nodeId !== node ? this.nodes.get(nodeId) : undefined;
    if (byId) {
      this.nodes.delete(nodeId);
      const named = this.nodes.get(node);
      if (!named || named.state === 'connected') this.nodes.set(node, { ...byId, node, nodeId });
    }
    const named = this.nodes.get(node);
    if (named) named.nodeId = nodeId;
    this.trim();
  }

  private trim(): void {
    while (this.nodes.size > this.maxNodes) this.nodes.delete(this.nodes.keys().next().value!);
    while (this.names.size > this.maxNodes) this.names.delete(this.names.keys().next().value!);
  }
}
