// The signal kinds as a runtime list, for validating rules files; the compiler checks it is complete.
import type { SignalKind, SubjectKind } from './types.js';

export const SIGNAL_KINDS = [
  'heartbeat-failed', 'session-failed', 'session-new-manager', 'session-registering', 'worker-registered',
  'dispatcher-started', 'dispatcher-stopped', 'heartbeat-expired', 'session-dropped',
  'raft-follower', 'raft-candidate', 'raft-leader', 'raft-leader-elected', 'raft-leader-lost', 'raft-leader-changed',
  'raft-stepdown', 'gossip-suspect', 'gossip-failed', 'gossip-active', 'gossip-left', 'gossip-joined',
  'networkdb-unhealthy', 'bulk-sync-failed', 'daemon-stopping', 'daemon-stopped', 'daemon-started',
] as const satisfies readonly SignalKind[];

// Fails to compile when types.ts gains a kind this list lacks.
type Missing = Exclude<SignalKind, (typeof SIGNAL_KINDS)[number]>;
export const signalKindsComplete: [Missing] extends [never] ? true : never = true;

export const SUBJECT_KINDS = ['node-id', 'gossip-id', 'raft-id', 'other'] as const satisfies readonly SubjectKind[];
