// One incident and what the correlator needs to keep deciding its kind: the first time each cause
// was seen, which nodes are still Down. Plain JSON, so it persists as is.
import { addEvidence } from './evidence.js';
import { NAMES_NODE, OPENS, type Fact } from './facts.js';
import type { Incident, IncidentKind } from './types.js';

export interface Causes {
  session?: number;
  down?: number;
  daemon?: number;
  boot?: number;
  election?: number;
  reconnect?: number;
}

export interface IncidentRecord {
  incident: Incident;
  causes: Causes;
  /** Swarm node ids of the incident's nodes: a manager's "worker <id> registered" finds the incident by them. */
  nodeIds: string[];
  /** Nodes marked Down and not back yet: the incident stays open while any is. */
  downNodes: Record<string, number>;
  /** Nodes seen in state unknown: several at once is a new leader re-registering everyone. */
  unknownNodes: string[];
  /** Latest time something went wrong (not a recovery, not background). */
  lastTroubleAt: number;
}

const MAX_NODES = 200;
const MAX_LIST = 100;
/** Facts that something went wrong (a daemon start is not one), for lastTroubleAt: a recovery is the end only after the last of them. */
const TROUBLE = new Set(['session-lost', 'down', 'unknown', 'daemon', 'boot', 'election']);

export function newRecord(id: string, fact: Fact): IncidentRecord {
  const incident: Incident = {
    id,
    kind: 'partition',
    nodes: [],
    start: fact.time,
    end: null,
    evidence: [],
    evidenceCount: 0,
    tasksMoved: [],
    servicesAffected: [],
    reconnects: [],
    storm: false,
    summary: '',
    lastActivityAt: fact.time,
  };
  return { incident, causes: {}, nodeIds: [], downNodes: {}, unknownNodes: [], lastTroubleAt: fact.time };
}

const earliest = (a: number | undefined, b: number) => (a === undefined ? b : Math.min(a, b));

/** Adds one fact to the incident: evidence, nodes, causes, moves, reconnects. */
export function applyFact(r: IncidentRecord, f: Fact, evidenceCap: number): void {
  const i = r.incident;
  i.evidenceCount++;
  addEvidence(i.evidence, f.evidence, evidenceCap);
  // background does not keep an incident alive: gossip can chatter for a long time about nothing
  if (f.role !== 'noise' && f.role !== 'election-hint') i.lastActivityAt = Math.max(i.lastActivityAt, f.burst?.end ?? f.time);
  if (OPENS.has(f.role) || NAMES_NODE.has(f.role)) i.start = Math.min(i.start, f.time);
  if (TROUBLE.has(f.role) && !(f.role === 'daemon' && f.daemon === 'started')) r.lastTroubleAt = Math.max(r.lastTroubleAt, f.time);
  if (f.node !== undefined && NAMES_NODE.has(f.role) && !i.nodes.includes(f.node) && i.nodes.length < MAX_NODES) i.nodes.push(f.node);
  if (f.nodeId !== undefined && f.node !== undefined && i.nodes.includes(f.node) && !r.nodeIds.includes(f.nodeId) && r.nodeIds.length < MAX_NODES) {
    r.nodeIds.push(f.nodeId);
  }

  switch (f.role) {
    case 'session-lost':
      if (i.sessionLostAt === undefined || f.time < i.sessionLostAt) {
        i.sessionLostAt = f.time;
        if (f.errorClass) i.errorClass = f.errorClass;
      }
      i.errorClass ??= f.errorClass;
      r.causes.session = earliest(r.causes.session, f.time);
      break;
    case 'down':
      r.causes.down = earliest(r.causes.down, f.time);
      i.markedDownAt = earliest(i.markedDownAt, f.time);
      if (f.node !== undefined) r.downNodes[f.node] ??= f.time;
      break;
    case 'unknown':
      if (f.node !== undefined && !r.unknownNodes.includes(f.node) && r.unknownNodes.length < MAX_NODES) r.unknownNodes.push(f.node);
      if (r.unknownNodes.length >= 2) r.causes.election = earliest(r.causes.election, f.time);
      break;
    case 'daemon':
      r.causes.daemon = earliest(r.causes.daemon, f.time);
      if (f.node && !(i.daemonNodes ??= []).includes(f.node)) i.daemonNodes.push(f.node);
      if (f.daemon === 'started') {
        i.daemonStartedAt = Math.max(i.daemonStartedAt ?? f.time, f.time);
        recovered(r, f);
      } else i.daemonStoppedAt = earliest(i.daemonStoppedAt, f.time);
      break;
    case 'boot':
      r.causes.boot = earliest(r.causes.boot, f.time);
      i.rebootedAt = earliest(i.rebootedAt, f.time);
      break;
    case 'election':
      r.causes.election = earliest(r.causes.election, f.time);
      break;
    case 'reconnect':
      r.causes.reconnect = earliest(r.causes.reconnect, f.time);
      if (f.burst) addBurst(i, f.burst);
      break;
    case 'recovered':
      recovered(r, f);
      break;
  }
  if (f.leader) {
    const prev = i.leader;
    const from = f.leader.from ?? prev?.from ?? (prev && prev.to !== f.leader.to ? prev.to : undefined);
    i.leader = from === undefined || from === f.leader.to ? { to: f.leader.to } : { from, to: f.leader.to };
  }
  if (f.move) addMove(i, f.move);
}

function recovered(r: IncidentRecord, f: Fact): void {
  r.incident.recoveredAt = Math.max(r.incident.recoveredAt ?? f.time, f.time);
  if (f.node !== undefined) delete r.downNodes[f.node];
}

function addMove(i: Incident, m: NonNullable<Fact['move']>): void {
  const same = i.tasksMoved.find((t) => t.service === m.service && t.from === m.from && t.to === m.to);
  if (same) same.count++;
  else if (i.tasksMoved.length < MAX_LIST) i.tasksMoved.push({ ...m, count: 1 });
  addService(i, m.service);
}

function addBurst(i: Incident, b: NonNullable<Fact['burst']>): void {
  // the detector reports a burst again as it grows: keep one entry per service and code
  const same = i.reconnects.find((x) => x.service === b.service && x.code === b.code && x.end >= b.time - 60_000);
  if (same) {
    same.tasks = Math.max(same.tasks, b.tasks);
    same.start = Math.min(same.start, b.time);
    same.end = Math.max(same.end, b.end);
  } else if (i.reconnects.length < MAX_LIST) i.reconnects.push({ service: b.service, code: b.code, tasks: b.tasks, start: b.time, end: b.end });
  addService(i, b.service);
}

function addService(i: Incident, service: string): void {
  if (!i.servicesAffected.includes(service) && i.servicesAffected.length < MAX_LIST) i.servicesAffected.push(service);
}

/**
 * The kind, strongest cause first: a reboot explains a restart, a restart explains lost sessions, an
 * election explains many nodes losing their sessions at once.
 */
export function classify(r: IncidentRecord, window: number, isFlapping: (node: string) => boolean): IncidentKind {
  const c = r.causes;
  if (c.boot !== undefined) return 'host-reboot';
  // a restart long after the session was lost is the operator's repair, not the cause
  if (c.daemon !== undefined && c.daemon - r.incident.start <= window) return 'daemon-restart';
  if (c.election !== undefined) return 'leader-election';
  if (c.session !== undefined || c.down !== undefined) {
    const lost = r.incident.nodes;
    return c.down === undefined && lost.length > 0 && lost.every(isFlapping) ? 'flapping' : 'partition';
  }
  return 'mass-reconnect-only';
}

/** The end an operator wants: the moment the nodes were back, else the last evidence. */
export function endOf(r: IncidentRecord): number {
  const i = r.incident;
  if (i.recoveredAt !== undefined && i.recoveredAt >= r.lastTroubleAt) return i.recoveredAt;
  return Math.max(i.start, i.lastActivityAt);
}

/** What an operator sees of an incident; an update that leaves it unchanged is not reported. */
export function fingerprint(i: Incident): string {
  const moved = i.tasksMoved.reduce((n, m) => n + m.count, 0);
  const first = i.evidence[0]?.time;
  return `${i.kind}|${i.nodes.length}|${i.end}|${i.storm}|${i.summary}|${i.evidence.length}|${first}|${moved}|${i.servicesAffected.length}|${i.reconnects.length}`;
}

export function copyIncident(i: Incident): Incident {
  return {
    ...i,
    nodes: [...i.nodes],
    evidence: i.evidence.map((e) => ({ ...e })),
    tasksMoved: i.tasksMoved.map((m) => ({ ...m })),
    servicesAffected: [...i.servicesAffected],
    reconnects: i.reconnects.map((r) => ({ ...r })),
    ...(i.leader ? { leader: { ...i.leader } } : {}),
    ...(i.daemonNodes ? { daemonNodes: [...i.daemonNodes] } : {}),
  };
}
