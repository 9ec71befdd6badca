// Plain data of the correlation stage: observations in, incidents out. Times are ms since the epoch.
import type { Signal } from '../detect/types.js';

export type NodeState = 'ready' | 'down' | 'unknown' | 'disconnected';
export type NodeAvailability = 'active' | 'pause' | 'drain';

/** Daemon evidence from any node's agent (what a rule said a log line means). */
export interface SignalObservation {
  type: 'signal';
  signal: Signal;
}

/** A node's state or availability changed (events API or a reconcile diff). */
export interface NodeStateObservation {
  type: 'node-state';
  time: number;
  node: string;
  nodeId?: string;
  from: NodeState;
  to: NodeState;
  /** Set when the availability changed (an operator drain or pause). */
  availability?: { from: NodeAvailability; to: NodeAvailability };
}

export interface LeaderChangeObservation {
  type: 'leader-change';
  time: number;
  from?: string;
  to: string;
}

/** A task of a service shut down on one node and its slot was re-created on another. */
export interface TaskMoveObservation {
  type: 'task-move';
  time: number;
  service: string;
  taskSlot?: number;
  from: string;
  to: string;
}

/** One application log code from a task's output. */
export interface AppCodeObservation {
  type: 'app-code';
  time: number;
  node: string;
  service: string;
  taskId: string;
  code: string;
  /** The code means "reconnected" (appLogs.reconnectCodes). */
  reconnect: boolean;
}

/** Many tasks of a service reconnected at once (from the mass-reconnect detector, or a peer). */
export interface MassReconnectObservation {
  type: 'mass-reconnect';
  time: number;
  end: number;
  service: string;
  code: string;
  tasks: number;
  nodes: string[];
}

/** A node's journal shows a new _BOOT_ID: the host rebooted. */
export interface BootObservation {
  type: 'boot';
  time: number;
  node: string;
  bootId: string;
}

/** Which node name a Swarm node id belongs to (from `docker node ls` or a reconcile). */
export interface NodeNameObservation {
  type: 'node-name';
  nodeId: string;
  node: string;
}

export type Observation =
  | SignalObservation
  | NodeStateObservation
  | LeaderChangeObservation
  | TaskMoveObservation
  | AppCodeObservation
  | MassReconnectObservation
  | BootObservation
  | NodeNameObservation;

export type IncidentKind =
  | 'partition'
  | 'daemon-restart'
  | 'host-reboot'
  | 'leader-election'
  | 'flapping'
  | 'mass-reconnect-only';

/** One log line (or observation) kept as proof. Observations use their type as rule. */
export interface EvidenceLine {
  node: string;
  time: number;
  rule: string;
  message: string;
}

export interface TasksMoved {
  service: string;
  from: string;
  to: string;
  count: number;
}

export interface ReconnectBurst {
  service: string;
  code: string;
  tasks: number;
  start: number;
  end: number;
}

export interface Incident {
  id: string;
  kind: IncidentKind;
  /** The nodes in trouble (observers of gossip noise are not listed). */
  nodes: string[];
  /** First non-noise evidence. */
  start: number;
  /** The recovery moment (or the last evidence when no recovery was seen); null while ongoing. */
  end: number | null;
  /** Key lines only: the first and last of each rule, at most evidenceCap; sorted by time. */
  evidence: EvidenceLine[];
  /** Every piece of evidence seen, including lines the cap left out. */
  evidenceCount: number;
  tasksMoved: TasksMoved[];
  servicesAffected: string[];
  reconnects: ReconnectBurst[];
  /** More than stormShare of the nodes looked unhealthy at once: the rebalancer holds. */
  storm: boolean;
  summary: string;
  /** The first session failure's class: DeadlineExceeded, Unavailable … */
  errorClass?: string;
  sessionLostAt?: number;
  markedDownAt?: number;
  /** Latest recovery: worker re-registered, node Ready again, or daemon started. */
  recoveredAt?: number;
  daemonStoppedAt?: number;
  /** The nodes whose daemon stopped or started (the others lost their sessions meanwhile). */
  daemonNodes?: string[];
  daemonStartedAt?: number;
  rebootedAt?: number;
  leader?: { from?: string; to: string };
  /** Session losses of the node within flapWindow (flapping incidents). */
  flaps?: number;
  /** Last non-noise evidence: the quiet period counts from here. */
  lastActivityAt: number;
}

export type IncidentChangeType = 'opened' | 'updated' | 'ended' | 'reopened';

export interface IncidentChange {
  change: IncidentChangeType;
  /** A copy: later changes do not alter it. */
  incident: Incident;
  previousKind?: IncidentKind;
}

export interface CorrelatorOptions {
  /** Evidence this close in time joins one incident. */
  window: number;
  /** An incident ends after this long without new (non-noise) evidence. */
  quiet: number;
  stormShare: number;
  flapCount: number;
  flapWindow: number;
  /** Session-loss lines further apart than this are separate losses (the session came back unseen). */
  episodeGap: number;
  /** Number of nodes in the swarm; unset: the number of nodes seen so far. */
  clusterSize?: number;
  maxIncidents: number;
  evidenceCap: number;
  /** An incident with a node still Down stays open at most this long after its last evidence. */
  downHold: number;
  massReconnect: MassReconnectOptions;
}

export interface MassReconnectOptions {
  /** Distinct tasks emitting a reconnect code within window. */
  minTasks: number;
  /** Or this share (percent) of a service's tasks, when the task count is known. */
  minPercent: number;
  window: number;
}
