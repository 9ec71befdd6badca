// The `watchdog diagnose --json` and /v1/incidents shape: {"incidents":[{"kind","nodes","start","end",
// "evidence":[{"node","time","rule","message"}]}]} with times as ISO strings, extended with the rest.
import type { Incident, ReconnectBurst, TasksMoved } from './types.js';

export interface IncidentJson {
  kind: Incident['kind'];
  nodes: string[];
  start: string;
  end: string | null;
  evidence: { node: string; time: string; rule: string; message: string }[];
  id: string;
  summary: string;
  storm: boolean;
  tasksMoved: TasksMoved[];
  servicesAffected: string[];
  reconnects: (Omit<ReconnectBurst, 'start' | 'end'> & { start: string; end: string })[];
  evidenceCount: number;
  errorClass?: string;
  sessionLostAt?: string;
  markedDownAt?: string;
  recoveredAt?: string;
  daemonStoppedAt?: string;
  daemonNodes?: string[];
  daemonStartedAt?: string;
  rebootedAt?: string;
  leader?: { from?: string; to: string };
  flaps?: number;
}

const iso = (t: number) => new Date(t).toISOString();
const isoOpt = (t: number | undefined) => (t === undefined ? undefined : iso(t));

export function incidentToJson(i: Incident): IncidentJson {
  const json: IncidentJson = {
    kind: i.kind,
    nodes: [...i.nodes],
    start: iso(i.start),
    end: i.end === null ? null : iso(i.end),
    evidence: i.evidence.map((e) => ({ node: e.node, time: iso(e.time), rule: e.rule, message: e.message })),
    id: i.id,
    summary: i.summary,
    storm: i.storm,
    tasksMoved: i.tasksMoved.map((m) => ({ ...m })),
    servicesAffected: [...i.servicesAffected],
    reconnects: i.reconnects.map((r) => ({ ...r, start: iso(r.start), end: iso(r.end) })),
    evidenceCount: i.evidenceCount,
    errorClass: i.errorClass,
    sessionLostAt: isoOpt(i.sessionLostAt),
    markedDownAt: isoOpt(i.markedDownAt),
    recoveredAt: isoOpt(i.recoveredAt),
    daemonStoppedAt: isoOpt(i.daemonStoppedAt),
    daemonNodes: i.daemonNodes ? [...i.daemonNodes] : undefined,
    daemonStartedAt: isoOpt(i.daemonStartedAt),
    rebootedAt: isoOpt(i.rebootedAt),
    leader: i.leader ? { ...i.leader } : undefined,
    flaps: i.flaps,
  };
  // absent facts are left out rather than written as null
  for (const k of Object.keys(json) as (keyof IncidentJson)[]) if (json[k] === undefined) delete json[k];
  return json;
}
