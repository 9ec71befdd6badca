// Plain data flowing through the detection stage: entries in, signals out.

import type { DaemonEntry, DaemonLevel } from '../sources/entry.js';

export type { DaemonEntry, DaemonLevel };

/** What a rule says an entry means. */
export interface Signal {
  node: string;
  time: number;
  /** Rule id from config/rules.yml, e.g. heartbeat-failed. */
  rule: string;
  /** The signal kind the rule produces (several rules may produce one kind). */
  kind: SignalKind;
  /** For session failures: DeadlineExceeded, Unavailable, NotRegistered, NoLeader, Other. */
  errorClass?: string;
  message: string;
  /** The emitting node's Swarm node id, when the line carries node.id (lets a manager's line about a node id be tied to a node name). */
  nodeId?: string;
  /** Swarm node id / gossip id / peer named in the line, when the rule extracts one. */
  subject?: string;
  /** What the subject is: a Swarm node id (resolvable to a node name), a gossip id, a Raft member id. */
  subjectKind?: SubjectKind;
  /** Signal kinds this one clears for the node it is about (the subject's node when the subject is a Swarm node id, else the emitting node). */
  clears?: SignalKind[];
  /** Other named parts of the line the rule extracts (term, backoff, manager address, the raw error …). */
  detail?: Record<string, string>;
}

export type SubjectKind = 'node-id' | 'gossip-id' | 'raft-id' | 'other';

export type SignalKind =
  | 'heartbeat-failed'
  | 'session-failed'
  | 'session-new-manager'
  | 'session-registering'
  | 'worker-registered'
  | 'dispatcher-started'
  | 'dispatcher-stopped'
  | 'heartbeat-expired'
  | 'session-dropped'
  | 'raft-follower'
  | 'raft-candidate'
  | 'raft-leader'
  | 'raft-leader-elected'
  | 'raft-leader-lost'
  | 'raft-leader-changed'
  | 'raft-stepdown'
  | 'gossip-suspect'
  | 'gossip-failed'
  | 'gossip-active'
  | 'gossip-left'
  | 'gossip-joined'
  | 'networkdb-unhealthy'
  | 'bulk-sync-failed'
  | 'daemon-stopping'
  | 'daemon-stopped'
  | 'daemon-started';
