// Which incident a fact joins. The rules, in the order they are tried:
// 1. the open incident that already names the fact's node (by name or Swarm node id), if the fact is
//    within `window` of it, or the node is still Down in it; a session lost well after a restarted
//    daemon came back is new trouble, not part of the restart;
// 2. a recently ended incident of the node whose span covers the fact (a cut-off agent's backlog);
// 3. for connectivity trouble of another node (lost session, Down, unknown, election): an open
//    partition, leader election or mass reconnect in the window (one cut, one switch, one election),
//    or a manager's restart/reboot (its workers lose their sessions); elections prefer elections;
// 4. background (gossip noise, election hints) joins whatever is open in the window, naming no node;
//    a mass reconnect joins an open incident in the window, or one that ended within `window`.
import type { Fact } from './facts.js';
import type { IncidentRecord } from './incident-record.js';
import type { IncidentKind } from './types.js';

export interface JoinContext {
  window: number;
  isManager: (node: string) => boolean;
}

/** Kinds whose incident takes in other nodes' connectivity trouble in the window. */
const SHARED: ReadonlySet<IncidentKind> = new Set<IncidentKind>(['partition', 'leader-election', 'mass-reconnect-only']);
/** Ended incidents looked at for late evidence: the recent ones are enough. */
const LATE_LOOKBACK = 20;

export function incidentFor(records: IncidentRecord[], f: Fact, ctx: JoinContext): IncidentRecord | undefined {
  const { window } = ctx;
  const open = records.filter((r) => r.incident.end === null);
  const inWindow = (r: IncidentRecord) => f.time >= r.incident.start - window && f.time <= r.incident.lastActivityAt + window;
  const recent = records.slice(-LATE_LOOKBACK).filter((r) => r.incident.end !== null);
  if (f.role !== 'noise' && f.role !== 'reconnect') {
    const mine = latest(open.filter((r) => hasNode(r, f) && !afterRestart(r, f) && (inWindow(r) || (f.node !== undefined && r.downNodes[f.node] !== undefined))));
    if (mine) return mine;
    const covering = latest(recent.filter((r) => hasNode(r, f) && f.time >= r.incident.start - window && f.time <= r.incident.end!));
    if (covering) return covering;
  }
  const shared = open.filter((r) => inWindow(r) && takesOthers(r, ctx));
  switch (f.role) {
    case 'session-lost':
    case 'down':
    case 'unknown':
      return latest(shared);
    case 'election':
      return latest(shared.filter((r) => r.incident.kind === 'leader-election')) ?? latest(shared);
    case 'election-hint':
      return latest(open.filter((r) => inWindow(r) && r.incident.kind === 'leader-election'));
    case 'noise':
      return latest(open.filter(inWindow));
    case 'reconnect':
      return latest(open.filter(inWindow)) ?? latest(recent.filter((r) => f.time >= r.incident.start - window && f.time <= r.incident.end! + window));
    default:
      return undefined;
  }
}

/** The node's flapping incident that ended less than flapWindow ago: a new loss continues it. */
export function flappingToReopen(records: IncidentRecord[], f: Fact, flapWindow: number): IncidentRecord | undefined {
  if (f.role !== 'session-lost' || f.node === undefined) return undefined;
  const node = f.node;
  return latest(
    records.filter((r) => {
      const i = r.incident;
      return i.kind === 'flapping' && i.end !== null && i.nodes.includes(node) && f.time >= i.end && f.time - i.end <= flapWindow;
    }),
  );
}

/** Whether a held fact belongs to a newly opened incident (background does; details only about its nodes). */
export function belongsToNew(r: IncidentRecord, p: Fact): boolean {
  return p.role === 'noise' || p.role === 'election-hint' || p.role === 'unknown' || hasNode(r, p);
}

/** A restarted daemon is back in its session within seconds: a loss well after its start is new trouble. */
const REJOIN_GRACE = 30_000;

function afterRestart(r: IncidentRecord, f: Fact): boolean {
  const i = r.incident;
  if (i.kind !== 'daemon-restart' && i.kind !== 'host-reboot') return false;
  if (f.role !== 'session-lost' && f.role !== 'down') return false;
  return i.daemonStartedAt !== undefined && f.time - i.daemonStartedAt > REJOIN_GRACE;
}

/** Partitions and elections take in other nodes' trouble; so does a manager's restart (its workers lose their sessions). */
function takesOthers(r: IncidentRecord, ctx: JoinContext): boolean {
  const k = r.incident.kind;
  if (SHARED.has(k)) return true;
  return (k === 'daemon-restart' || k === 'host-reboot') && r.incident.nodes.some(ctx.isManager);
}

export function hasNode(r: IncidentRecord, f: Fact): boolean {
  return (f.node !== undefined && r.incident.nodes.includes(f.node)) || (f.nodeId !== undefined && r.nodeIds.includes(f.nodeId));
}

/** The incident with the latest activity. */
export function latest(rs: IncidentRecord[]): IncidentRecord | undefined {
  let best: IncidentRecord | undefined;
  for (const r of rs) if (!best || r.incident.lastActivityAt >= best.incident.lastActivityAt) best = r;
  return best;
}
