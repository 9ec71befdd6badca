// What one observation means to an operator, before it is joined to anything: which node it is about
// and what part it can play (open an incident, join one, or only be attached as background).
import type { Signal, SignalKind } from '../detect/types.js';
import type { EvidenceLine, MassReconnectObservation, Observation } from './types.js';

export type Role =
  /** The node lost its manager session. Opens an incident; the node is in trouble. */
  | 'session-lost'
  /** The manager marked the node Down. Opens an incident. */
  | 'down'
  /** State unknown: a new leader is re-registering nodes. Opens a leader election only when several nodes do it at once. */
  | 'unknown'
  /** dockerd stopping, stopped or started. Opens an incident. */
  | 'daemon'
  /** The host rebooted. Opens an incident. */
  | 'boot'
  /** Raft elected, lost or changed a leader. Opens an incident. */
  | 'election'
  /** Many tasks reconnected at once. Opens an incident (no node named). */
  | 'reconnect'
  /** The node's session is back: worker registered, node Ready. Joins the node's incident only. */
  | 'recovered'
  /** Detail about a node (session attempts, task moves, availability). Joins the node's incident only. */
  | 'node-detail'
  /** Background of an election (follower, dispatcher start/stop, "no leader"). Joins an election or the node's incident. */
  | 'election-hint'
  /** Gossip and networkdb chatter: seen by every node when any one is cut. Joins anything in the window, names no node. */
  | 'noise';

export interface Fact {
  role: Role;
  time: number;
  /** The node the fact is about (for worker-registered: the worker, not the manager that logged it). */
  node?: string;
  nodeId?: string;
  evidence: EvidenceLine;
  errorClass?: string;
  daemon?: 'stopping' | 'stopped' | 'started';
  move?: { service: string; from: string; to: string };
  burst?: MassReconnectObservation;
  leader?: { from?: string; to: string };
}

/** Roles that may open an incident by themselves. */
export const OPENS: ReadonlySet<Role> = new Set<Role>(['session-lost', 'down', 'daemon', 'boot', 'election', 'reconnect']);
/** Roles that put their node into the incident's node list. */
export const NAMES_NODE: ReadonlySet<Role> = new Set<Role>(['session-lost', 'down', 'unknown', 'daemon', 'boot', 'election']);

const SIGNAL_ROLES: Record<SignalKind, Role> = {
  'heartbeat-failed': 'session-lost',
  'session-failed': 'session-lost',
  'session-new-manager': 'node-detail',
  'session-registering': 'node-detail',
  'worker-registered': 'recovered',
  'dispatcher-started': 'election-hint',
  'dispatcher-stopped': 'election-hint',
  'heartbeat-expired': 'down',
  'session-dropped': 'node-detail',
  'raft-follower': 'election-hint',
  'raft-candidate': 'election',
  'raft-leader': 'election',
  'raft-leader-elected': 'election',
  'raft-leader-lost': 'election',
  'raft-leader-changed': 'election',
  'raft-stepdown': 'election',
  'gossip-suspect': 'noise',
  'gossip-failed': 'noise',
  'gossip-active': 'noise',
  'gossip-left': 'noise',
  'gossip-joined': 'noise',
  'networkdb-unhealthy': 'noise',
  'bulk-sync-failed': 'noise',
  'daemon-stopping': 'daemon',
  'daemon-stopped': 'daemon',
  'daemon-started': 'daemon',
};

/** Manager-side lines name another node by id (subject): the fact is about that node. */
const ABOUT_SUBJECT: ReadonlySet<SignalKind> = new Set<SignalKind>(['worker-registered', 'heartbeat-expired', 'session-dropped']);

export type NodeName = (nodeId: string) => string | undefined;

/** The fact an observation states, or undefined for observations that only carry bookkeeping. */
export function toFact(obs: Observation, nameOf: NodeName): Fact | undefined {
  switch (obs.type) {
    case 'signal':
      return signalFact(obs.signal, nameOf);
    case 'node-state': {
      const evidence = { node: obs.node, time: obs.time, rule: 'node-state', message: `${obs.node} ${obs.from} → ${obs.to}` };
      const base = { time: obs.time, node: obs.node, nodeId: obs.nodeId, evidence };
      if (obs.availability && obs.from === obs.to) {
        evidence.message = `${obs.node} availability ${obs.availability.from} → ${obs.availability.to}`;
        return { ...base, role: 'node-detail' };
      }
      if (obs.to === 'ready') return { ...base, role: 'recovered' };
      if (obs.to === 'unknown') return { ...base, role: 'unknown' };
      if (obs.to === 'down' || obs.to === 'disconnected') return { ...base, role: 'down' };
      return { ...base, role: 'node-detail' }; // a state this code does not know accuses nobody
    }
    case 'leader-change':
      return {
        role: 'election',
        time: obs.time,
        node: obs.to,
        leader: { from: obs.from, to: obs.to },
        evidence: { node: obs.to, time: obs.time, rule: 'leader-change', message: `leader ${obs.from ?? '?'} → ${obs.to}` },
      };
    case 'task-move':
      return {
        role: 'node-detail',
        time: obs.time,
        node: obs.from,
        move: { service: obs.service, from: obs.from, to: obs.to },
        evidence: {
          node: obs.from,
          time: obs.time,
          rule: 'task-move',
          message: `${obs.service}${obs.taskSlot === undefined ? '' : `.${obs.taskSlot}`} moved ${obs.from} → ${obs.to}`,
        },
      };
    case 'mass-reconnect':
      return {
        role: 'reconnect',
        time: obs.time,
        burst: obs,
        evidence: {
          node: obs.nodes.join(',') || '*',
          time: obs.time,
          rule: 'mass-reconnect',
          message: `${obs.tasks} tasks of ${obs.service} reconnected (${obs.code}) within ${Math.round((obs.end - obs.time) / 1000)} s`,
        },
      };
    case 'boot':
      return { role: 'boot', time: obs.time, node: obs.node, evidence: { node: obs.node, time: obs.time, rule: 'boot', message: `new boot ${obs.bootId}` } };
    case 'app-code':
    case 'node-name':
      return undefined;
  }
}

function signalFact(s: Signal, nameOf: NodeName): Fact {
  let role: Role = SIGNAL_ROLES[s.kind] ?? 'noise';
  // "no leader" is the cluster's trouble, not this node's: it explains, it does not accuse
  if (role === 'session-lost' && s.errorClass === 'NoLeader') role = 'election-hint';
  const evidence = { node: s.node, time: s.time, rule: s.rule, message: s.message };
  const fact: Fact = { role, time: s.time, node: s.node, nodeId: s.nodeId, errorClass: s.errorClass, evidence };
  // only a Swarm node id names a node; gossip and raft ids do not
  const subjectId = s.subjectKind === undefined || s.subjectKind === 'node-id' ? s.subject : undefined;
  if (ABOUT_SUBJECT.has(s.kind)) {
    fact.nodeId = subjectId;
    fact.node = subjectId === undefined ? undefined : nameOf(subjectId);
    // a manager's line about a node we cannot name yet is only a detail
    if (fact.node === undefined && role === 'down') fact.role = 'node-detail';
  }
  if (role === 'noise') fact.node = undefined;
  if (s.kind === 'raft-leader') fact.leader = { to: s.node };
  const leader = s.subject === undefined ? undefined : nameOf(s.subject);
  if ((s.kind === 'raft-leader-elected' || s.kind === 'raft-leader-changed') && leader !== undefined) fact.leader = { to: leader };
  if (s.kind === 'daemon-stopping') fact.daemon = 'stopping';
  if (s.kind === 'daemon-stopped') fact.daemon = 'stopped';
  if (s.kind === 'daemon-started') fact.daemon = 'started';
  return fact;
}

/** The bookkeeping an observation carries whatever it means: nodes that exist, managers, id → name. */
export function whoIsWho(obs: Observation): { time: number; seen: string[]; managers: string[]; names: [id: string, node: string][] } {
  switch (obs.type) {
    case 'signal': {
      const s = obs.signal;
      const manager = s.kind.startsWith('raft-') || s.kind.startsWith('dispatcher-') || s.kind === 'worker-registered';
      // nodeId is the emitter's own id; a worker-registered line is about another node's id
      const names: [string, string][] = s.nodeId !== undefined && !ABOUT_SUBJECT.has(s.kind) ? [[s.nodeId, s.node]] : [];
      return { time: s.time, seen: [s.node], managers: manager ? [s.node] : [], names };
    }
    case 'node-state':
      return { time: obs.time, seen: [obs.node], managers: [], names: obs.nodeId === undefined ? [] : [[obs.nodeId, obs.node]] };
    case 'node-name':
      return { time: 0, seen: [], managers: [], names: [[obs.nodeId, obs.node]] };
    case 'leader-change':
      return { time: obs.time, seen: [], managers: obs.from === undefined ? [obs.to] : [obs.to, obs.from], names: [] };
    case 'task-move':
      return { time: obs.time, seen: [obs.from, obs.to], managers: [], names: [] };
    case 'app-code':
    case 'boot':
      return { time: obs.time, seen: [obs.node], managers: [], names: [] };
    case 'mass-reconnect':
      return { time: obs.time, seen: obs.nodes, managers: [], names: [] };
  }
}
