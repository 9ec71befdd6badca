// An incident as a timeline: one lane per node (one row per kind of evidence it has), on one time
// axis. Pure: an Incident (plus the watchdog's own alert and rebalance lines) in, plain events out;
// timeline-svg.ts draws them.
import type { Incident } from '../correlate/types.js';
import { clock } from './html.js';

export const TRACKS = ['session', 'state', 'daemon', 'raft', 'gossip', 'tasks', 'reconnect', 'alert', 'rebalance', 'other'] as const;
export type Track = (typeof TRACKS)[number];

export const TRACK_NAMES: Record<Track, string> = {
  session: 'manager session',
  state: 'node state',
  daemon: 'daemon',
  raft: 'raft',
  gossip: 'gossip',
  tasks: 'tasks',
  reconnect: 'reconnects',
  alert: 'alert',
  rebalance: 'rebalance',
  other: 'other',
};

export interface TimelineEvent {
  time: number;
  /** Set for a span (a node Down until Ready again, a reconnect burst). */
  end?: number;
  node: string;
  track: Track;
  /** A few words on the mark. */
  label: string;
  /** The evidence line shown under the pointer. */
  detail: string;
}

export interface Timeline {
  incidentId: string;
  title: string;
  start: number;
  end: number;
  /** The incident itself (shaded); end is null while it is open. */
  span: { start: number; end: number | null };
  /** Lanes in display order: the nodes in trouble first, the watchdog's own lane last. */
  lanes: string[];
  events: TimelineEvent[];
}

/** A line the watchdog logged itself (alert sent, rebalance step), from the logger's listener. */
export interface Note {
  time: number;
  code: string;
  message: string;
}

/** The watchdog's own lane: alerts sent and rebalance steps. */
export const WATCHDOG_LANE = 'watchdog';
/** Cluster-wide facts without one node: the reconnect bursts. */
export const TASKS_LANE = 'all tasks';

export function trackOf(rule: string): Track {
  if (/^(heartbeat|session|worker-registered|dispatcher)/.test(rule)) return 'session';
  if (rule === 'node-state' || rule === 'boot') return 'state';
  if (rule.startsWith('daemon')) return 'daemon';
  if (rule.startsWith('raft') || rule === 'leader-change') return 'raft';
  if (/^(gossip|networkdb|bulk-sync)/.test(rule)) return 'gossip';
  if (rule === 'task-move') return 'tasks';
  if (rule === 'mass-reconnect' || rule === 'app-code') return 'reconnect';
  return 'other';
}

const NOTE_LABELS: Record<string, string> = {
  'WDG-SLACK-001': 'alert sent',
  'WDG-SLACK-002': 'alert retried',
  'WDG-SLACK-003': 'alert dropped',
  'WDG-REBALANCE-001': 'rebalance started',
  'WDG-REBALANCE-002': 'rebalanced',
  'WDG-REBALANCE-003': 'rebalance failed',
  'WDG-REBALANCE-005': 'step timed out',
};

function noteTrack(code: string): Track | undefined {
  if (code.startsWith('WDG-SLACK-')) return 'alert';
  if (code.startsWith('WDG-REBALANCE-')) return 'rebalance';
  return undefined;
}

const NOTE_AFTER = 15 * 60_000; // a rebalance follows the heal by the stabilisation window and more

export function incidentTimeline(incident: Incident, notes: Note[], now: number): Timeline {
  // Single task moves are summed per service below (the evidence keeps only the first and last).
  const events: TimelineEvent[] = incident.evidence.filter((e) => e.rule !== 'task-move').map((e) => ({
    time: e.time,
    // a burst's evidence names all its nodes: it goes on the lane of the bursts
    node: e.rule === 'mass-reconnect' ? TASKS_LANE : e.node,
    track: trackOf(e.rule),
    label: e.rule,
    detail: `${clock(e.time)}  ${e.node}  ${e.rule}: ${e.message}`,
  }));
  events.push(...spans(incident, now), ...moves(incident), ...bursts(incident));
  const until = (incident.end ?? now) + NOTE_AFTER;
  for (const n of notes) {
    const track = noteTrack(n.code);
    if (!track || n.time < incident.start || n.time > until) continue;
    events.push({ time: n.time, node: WATCHDOG_LANE, track, label: NOTE_LABELS[n.code] ?? n.code, detail: `${clock(n.time)}  ${n.code}  ${n.message}` });
  }
  events.sort((a, b) => a.time - b.time);
  const times = events.flatMap((e) => [e.time, e.end ?? e.time]).concat(incident.start, incident.end ?? now);
  const lo = Math.min(...times);
  const hi = Math.max(...times);
  const pad = Math.max(2000, (hi - lo) * 0.04);
  return {
    incidentId: incident.id,
    title: `${incident.kind}: ${incident.summary}`,
    start: lo - pad,
    end: hi + pad,
    span: { start: incident.start, end: incident.end },
    lanes: laneOrder(incident, events),
    events,
  };
}

function laneOrder(incident: Incident, events: TimelineEvent[]): string[] {
  const seen = new Set(events.map((e) => e.node));
  const rest = [...seen].filter((n) => !incident.nodes.includes(n) && n !== WATCHDOG_LANE && n !== TASKS_LANE).sort();
  return [...incident.nodes.filter((n) => seen.has(n)), ...rest, ...[TASKS_LANE, WATCHDOG_LANE].filter((n) => seen.has(n))];
}

/** Session lost → back and Down → Ready as bars on the nodes in trouble. */
function spans(i: Incident, now: number): TimelineEvent[] {
  const out: TimelineEvent[] = [];
  const back = i.recoveredAt ?? i.end ?? now;
  for (const node of i.nodes) {
    if (i.sessionLostAt !== undefined) {
      out.push({ time: i.sessionLostAt, end: back, node, track: 'session', label: 'session lost', detail: `${clock(i.sessionLostAt)} → ${clock(back)}  ${node} without a manager session${i.errorClass ? ` (${i.errorClass})` : ''}` });
    }
    if (i.markedDownAt !== undefined) {
      out.push({ time: i.markedDownAt, end: back, node, track: 'state', label: 'Down', detail: `${clock(i.markedDownAt)} → ${clock(back)}  ${node} marked Down${i.recoveredAt ? ', then Ready' : ''}` });
    }
    if (i.daemonStoppedAt !== undefined && (i.daemonNodes ?? i.nodes).includes(node)) {
      const started = i.daemonStartedAt ?? back;
      out.push({ time: i.daemonStoppedAt, end: started, node, track: 'daemon', label: 'daemon stopped', detail: `${clock(i.daemonStoppedAt)} → ${clock(started)}  dockerd on ${node} stopped, then started` });
    }
  }
  return out;
}

/** Tasks leaving a node and arriving on others, per service: one mark per service and node. */
function moves(i: Incident): TimelineEvent[] {
  const firstMove = new Map<string, number>();
  for (const e of i.evidence) if (e.rule === 'task-move') for (const m of i.tasksMoved) if (e.message.includes(m.service) && !firstMove.has(m.service)) firstMove.set(m.service, e.time);
  const sides = new Map<string, { service: string; node: string; sign: '−' | '+'; count: number; others: string[] }>();
  const add = (service: string, node: string, sign: '−' | '+', count: number, other: string) => {
    const key = `${sign}${service}\u0000${node}`;
    const side = sides.get(key) ?? { service, node, sign, count: 0, others: [] };
    side.count += count;
    side.others.push(`${count} ${sign === '−' ? 'to' : 'from'} ${other}`);
    sides.set(key, side);
  };
  for (const m of i.tasksMoved) {
    add(m.service, m.from, '−', m.count, m.to);
    add(m.service, m.to, '+', m.count, m.from);
  }
  return [...sides.values()].map((s) => {
    const time = firstMove.get(s.service) ?? i.markedDownAt ?? i.start;
    const what = `${s.count} task${s.count === 1 ? '' : 's'} of ${s.service}`;
    const detail = `${clock(time)}  ${what} ${s.sign === '−' ? 'left' : 'arrived on'} ${s.node} (${s.others.join(', ')})`;
    return { time, node: s.node, track: 'tasks' as const, label: `${s.sign}${s.count} ${s.service}`, detail };
  });
}

/** The reconnect burst per code, on a lane of its own: the tasks that reconnected ran everywhere. */
function bursts(i: Incident): TimelineEvent[] {
  return i.reconnects.map((r) => ({
    time: r.start,
    end: r.end,
    node: TASKS_LANE,
    track: 'reconnect' as const,
    label: `${r.code} ×${r.tasks}`,
    detail: `${clock(r.start)} → ${clock(r.end)}  ${r.tasks} tasks of ${r.service} logged ${r.code} (reconnected)`,
  }));
}
