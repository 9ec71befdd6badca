// Bot mode's memory: one Slack thread per incident (its parent message's ts, the changes already
// replied, the view the message shows). Kept in the state directory and copied to the other agents,
// so a restarted or a new acting agent edits the same message and never repeats a reply. Another
// agent's incident has its own id: it joins a thread by its nodes and time. Pure apart from the store.
import type { StateFile } from '../adapters/state-file.js';
import type { Incident } from '../correlate/types.js';
import { summarize } from '../correlate/summary.js';
import type { ServiceResult } from './messages.js';

export type ThreadState = 'warning' | 'open' | 'recovered' | 'ended';

export interface Thread {
  key: string;
  /** Incident ids (of any agent) shown in this thread. */
  ids: string[];
  nodes: string[];
  start: number;
  /** Its end (incident end, or the recovery of a first notice); null while it lasts. */
  end: number | null;
  state: ThreadState;
  ts?: string;
  /** Change keys already replied (or queued) in the thread. */
  said: string[];
  /** The kind the thread was first posted as (a later one is a change worth a reply). */
  kind?: string;
  /** What the parent message shows (merged across agents). */
  incident?: Incident;
  rebalance?: ServiceResult[];
  updatedAt: number;
}

export interface ThreadsState {
  version: 1;
  threads: Thread[];
}

const MAX_THREADS = 200;
/**
 * How much earlier than a thread another view of the same event may start: gossip notices a cut up to
 * ~6 s late and the node's own heartbeat failure follows within seconds; agents' starts differ by that.
 */
const EARLIER_MS = 15_000;
const FINAL: Record<ThreadState, number> = { warning: 0, open: 1, recovered: 2, ended: 3 };

const last = <T>(list: T[], match: (t: T) => boolean): T | undefined => [...list].reverse().find(match);
const overlaps = (a: string[], b: string[]) => a.some((n) => b.includes(n));

export class Threads {
  private threads: Thread[] = [];

  constructor(private readonly store?: StateFile<ThreadsState>) {}

  /** The saved threads; a corrupt file is reported by the caller and costs only a new message. */
  load(): void {
    const saved = this.store?.read();
    if (saved?.version === 1 && Array.isArray(saved.threads)) this.threads = saved.threads;
  }

  save(): void {
    this.store?.write(this.toState());
  }

  get(key: string): Thread | undefined {
    return this.threads.find((t) => t.key === key);
  }

  all(): Thread[] {
    return this.threads;
  }

  /**
   * The thread an incident belongs to: its own id, else one about the same nodes that was going on
   * when the incident started (another agent's view of the same event, or a first notice).
   */
  find(incident: Pick<Incident, 'id' | 'nodes' | 'start'>, windowMs: number): Thread | undefined {
    const own = this.threads.find((t) => t.ids.includes(incident.id));
    if (own) return own;
    return last(this.threads, (t) => {
      if (!overlaps(t.nodes, incident.nodes)) return false;
      // trouble that began well before the thread is another event (a daemon restart just before a cut)
      if (incident.start < t.start - EARLIER_MS) return false;
      return t.end !== null ? incident.start <= t.end : incident.start <= t.updatedAt + windowMs;
    });
  }

  /** The open first notice or incident thread of a node, if any. */
  activeFor(node: string): Thread | undefined {
    return last(this.threads, (t) => t.end === null && t.nodes.includes(node));
  }

  open(thread: Omit<Thread, 'said' | 'ids' | 'end'> & { ids?: string[] }): Thread {
    const t: Thread = { ids: [], said: [], end: null, ...thread };
    this.threads.push(t);
    this.bound();
    return t;
  }

  /** Threads from another agent: what either knows is kept (the ts, every reply said, the fuller view). */
  merge(remote: Thread[]): boolean {
    let changed = false;
    for (const r of remote) {
      const mine = this.get(r.key);
      if (!mine) {
        this.threads.push(structuredClone(r));
        changed = true;
        continue;
      }
      const before = JSON.stringify(mine);
      mine.ts ??= r.ts;
      mine.said = [...new Set([...mine.said, ...r.said])];
      mine.ids = [...new Set([...mine.ids, ...r.ids])];
      mine.nodes = [...new Set([...mine.nodes, ...r.nodes])];
      if (FINAL[r.state] > FINAL[mine.state]) {
        mine.state = r.state;
        mine.end = r.end;
      }
      if (r.incident) mine.incident = mine.incident ? mergeIncident(mine.incident, r.incident) : r.incident;
      mine.rebalance ??= r.rebalance;
      mine.updatedAt = Math.max(mine.updatedAt, r.updatedAt);
      changed ||= JSON.stringify(mine) !== before;
    }
    if (changed) {
      this.threads.sort((a, b) => a.start - b.start);
      this.bound();
    }
    return changed;
  }

  toState(): ThreadsState {
    return { version: 1, threads: this.threads };
  }

  private bound(): void {
    while (this.threads.length > MAX_THREADS) {
      const idx = this.threads.findIndex((t) => t.end !== null);
      this.threads.splice(idx < 0 ? 0 : idx, 1);
    }
  }
}

/**
 * Two views of one incident (an earlier agent's and the current one's): the latest, plus what only
 * the earlier one saw (a new acting agent missed the Down and the moves that happened before it acted).
 */
export function mergeIncident(earlier: Incident, later: Incident, opts: { foreign?: boolean } = {}): Incident {
  const min = (a?: number, b?: number) => (a === undefined ? b : b === undefined ? a : Math.min(a, b));
  const moved = new Map(earlier.tasksMoved.map((m) => [`${m.service}|${m.from}|${m.to}`, { ...m }]));
  for (const m of later.tasksMoved) {
    const k = `${m.service}|${m.from}|${m.to}`;
    moved.set(k, { ...m, count: Math.max(m.count, moved.get(k)?.count ?? 0) });
  }
  const bursts = new Map(earlier.reconnects.map((r) => [`${r.service}|${r.code}`, r]));
  for (const r of later.reconnects) {
    const prev = bursts.get(`${r.service}|${r.code}`);
    bursts.set(`${r.service}|${r.code}`, prev && prev.tasks > r.tasks ? prev : r);
  }
  const serious = (i: Incident) => i.markedDownAt !== undefined || i.tasksMoved.length > 0;
  const merged: Incident = {
    ...later,
    kind: serious(later) || !serious(earlier) ? later.kind : earlier.kind,
    nodes: [...new Set([...earlier.nodes, ...later.nodes])],
    start: Math.min(earlier.start, later.start),
    tasksMoved: [...moved.values()],
    reconnects: [...bursts.values()],
    servicesAffected: [...new Set([...earlier.servicesAffected, ...later.servicesAffected])],
    storm: earlier.storm || later.storm,
    sessionLostAt: min(earlier.sessionLostAt, later.sessionLostAt),
    markedDownAt: min(earlier.markedDownAt, later.markedDownAt),
    errorClass: later.errorClass ?? earlier.errorClass,
    recoveredAt: later.recoveredAt ?? earlier.recoveredAt,
  };
  // another agent's incident that overlaps this one (a leader election around it): it adds facts,
  // not its own kind, nodes or storm
  if (opts.foreign) Object.assign(merged, { kind: earlier.kind, nodes: earlier.nodes, storm: earlier.storm, evidence: earlier.evidence, end: earlier.end ?? later.end });
  return { ...merged, summary: summarize(merged) };
}
