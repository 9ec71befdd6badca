/**
 * Joins observations from every node into incidents: one per real event, with its proof. Pure: time
 * comes only from observations and tick(now). Which incident a fact joins: join.ts.
 *
 * How an operator reads Swarm, as implemented (strongest cause names the kind):
 * - host-reboot: a new boot id of a node in the incident.
 * - daemon-restart: dockerd stopping/stopped/started within `window` of the incident's start; the
 *   node's lost sessions are part of it, and so are workers' lost sessions while a manager restarts.
 * - leader-election: raft election lines, a leader change, or two or more nodes going unknown at once;
 *   connectivity trouble in the window joins it, the isolated old leader included (stepdown, Down,
 *   moved tasks): a cut-off leader is ONE incident.
 * - partition: a node lost its manager session (DeadlineExceeded, Unavailable, dial errors) while its
 *   daemon kept running, often then Down and task moves; or a Down node with no word from its agent
 *   (its backlog joins after the heal). Nodes cut within `window` of each other are one partition.
 * - flapping: every node of the incident lost its session flapCount times within flapWindow, never
 *   Down; a further loss within flapWindow reopens the flapping incident.
 * - mass-reconnect-only: a mass reconnect with no node trouble in the window; node trouble that
 *   follows joins it and names the real kind. A mass reconnect during or just after an incident joins it.
 * Gossip noise never opens an incident nor names a node. storm: more than stormShare of the nodes
 * (and at least two) unhealthy at once. An incident ends `quiet` after its last non-noise evidence, not
 * while a node of it is still Down (up to downHold); `end` is the recovery moment, else the last evidence.
 */
import { CodeCounter, type CodeCounterState } from './code-counter.js';
import { NAMES_NODE, OPENS, toFact, whoIsWho, type Fact, type Role } from './facts.js';
import { applyFact, classify, copyIncident, endOf, fingerprint, newRecord, type IncidentRecord } from './incident-record.js';
import { DEFAULT_MASS_RECONNECT, MassReconnectDetector, type MassReconnectState } from './mass-reconnect.js';
import { belongsToNew, flappingToReopen, incidentFor } from './join.js';
import { NodeHealth, type NodeTrack } from './node-health.js';
import { summarize } from './summary.js';
import type { CorrelatorOptions, MassReconnectOptions, Incident, IncidentChange, IncidentChangeType, IncidentKind, Observation } from './types.js';

/** The one set of defaults: the agent's options (pipeline/correlator-options.ts) start from it too. */
export const DEFAULT_CORRELATOR_OPTIONS: CorrelatorOptions = {
  window: 90_000,
  quiet: 60_000,
  stormShare: 0.5,
  flapCount: 3,
  flapWindow: 600_000,
  // a session retry comes at least every ~8 s (backoff cap) + the dial: a longer silence means it came back
  episodeGap: 15_000,
  maxIncidents: 500,
  evidenceCap: 50,
  downHold: 10 * 60_000,
  massReconnect: DEFAULT_MASS_RECONNECT,
};

/** Counters the correlator increments as it recognises things (the agent passes its Metrics). */
export interface CorrelatorCounters {
  readonly massReconnects: { inc(): void };
}

/** Options where given; the defaults (or the current values, on reload) for the rest. */
export type CorrelatorSettings = Partial<Omit<CorrelatorOptions, 'massReconnect'>> & { massReconnect?: Partial<MassReconnectOptions> };

export interface CorrelatorState {
  version: 1;
  seq: number;
  clusterSize?: number;
  records: IncidentRecord[];
  pending: Fact[];
  nodes: Record<string, NodeTrack>;
  names: Record<string, string>;
  reconnects: MassReconnectState;
  codes: CodeCounterState;
}

const MAX_PENDING = 500;
const MAX_NAMES = 2_000;
/** Facts that can make a node unhealthy (NodeHealth.unhealthy): only they can make a storm. */
const UNHEALTHY_ROLES: ReadonlySet<Role> = new Set<Role>(['session-lost', 'down', 'unknown', 'daemon']);
const RANK: Record<IncidentChangeType, number> = { updated: 0, ended: 1, reopened: 2, opened: 3 };

export class Correlator {
  private readonly options: CorrelatorOptions;
  private records: IncidentRecord[] = [];
  private pending: Fact[] = [];
  private names: Record<string, string> = {};
  private health: NodeHealth;
  private detector: MassReconnectDetector;
  private codes = new CodeCounter();
  private seq = 0;
  private clusterSize?: number;
  private changes = new Map<IncidentRecord, { change: IncidentChangeType; before: IncidentKind; seen: string }>();

  constructor(
    options: CorrelatorSettings = {},
    private readonly counters?: CorrelatorCounters,
  ) {
    this.options = { ...DEFAULT_CORRELATOR_OPTIONS, ...options, massReconnect: { ...DEFAULT_MASS_RECONNECT, ...options.massReconnect } };
    this.clusterSize = this.options.clusterSize;
    this.health = new NodeHealth(this.options);
    this.detector = new MassReconnectDetector(this.options.massReconnect);
  }

  /** A config reload: windows, caps and thresholds change; incidents and node history are kept. */
  setOptions(options: CorrelatorSettings): IncidentChange[] {
    const massReconnect = { ...this.options.massReconnect, ...options.massReconnect };
    Object.assign(this.options, options, { massReconnect }); // NodeHealth reads the same object
    this.detector.setOptions(massReconnect);
    if (options.clusterSize !== undefined) this.clusterSize = options.clusterSize;
    this.bound();
    return this.finish();
  }

  /** Swarm node id → hostname, so managers' lines about a node id find the node's incident. */
  setNodeName(nodeId: string, node: string): void {
    if (this.names[nodeId] === node) return;
    const ids = Object.keys(this.names);
    if (this.names[nodeId] === undefined && ids.length >= MAX_NAMES) delete this.names[ids[0]!];
    this.names[nodeId] = node;
  }

  /** Nodes in the swarm (changes as nodes join and leave); undefined: count the nodes seen. */
  setClusterSize(size: number | undefined): void {
    this.clusterSize = size;
  }

  /** A service's task count (replicas): lets a mass reconnect be a share of its tasks. */
  setServiceTaskCount(service: string, count: number): void {
    this.detector.setTaskCount(service, count);
  }

  codeCounts(): CodeCounterState {
    return this.codes.snapshot();
  }

  resetCodeCounts(): void {
    this.codes.reset();
  }

  add(obs: Observation): IncidentChange[] {
    this.learn(obs);
    let o: Observation = obs;
    if (obs.type === 'app-code') {
      this.codes.add(obs);
      const news = this.detector.add(obs);
      if (!news) return [];
      if (news.started) this.counters?.massReconnects.inc();
      o = news.burst;
    }
    if (o.type === 'boot' && !this.health.boot(o.node, o.bootId, o.time)) return [];
    const fact = toFact(o, (id) => this.names[id]);
    if (!fact) return [];
    this.health.apply(fact);

    const target = incidentFor(this.records, fact, { window: this.options.window, isManager: (n) => this.health.isManager(n) });
    if (target) {
      this.touch(target, 'updated');
      applyFact(target, fact, this.options.evidenceCap);
    } else if (this.startOfLog(fact)) {
      // A log that begins with the daemon starting up (and, for a manager, electing) shows a start, not a restart.
      this.hold({ ...fact, role: 'node-detail' });
    } else if (!this.reopenFlapping(fact) && !this.open(fact)) {
      this.hold(fact);
    }
    // only new trouble can make a storm (and storm stays once set)
    if (UNHEALTHY_ROLES.has(fact.role)) this.markStorm(fact.time);
    return this.finish();
  }

  /** Ends incidents whose evidence stopped `quiet` ago (and whose nodes are not still Down). */
  tick(now: number): IncidentChange[] {
    const { quiet, downHold, window } = this.options;
    for (const r of this.records) {
      const i = r.incident;
      if (i.end !== null) continue;
      const idle = now - i.lastActivityAt;
      const held = Object.keys(r.downNodes).length > 0 && idle < downHold;
      if (idle < quiet || held) continue;
      i.end = endOf(r);
      // a node Down past downHold is gone (removed, or its recovery was never seen): stop counting it unhealthy
      for (const n of Object.keys(r.downNodes)) this.health.clearDown(n);
      this.touch(r, 'ended');
    }
    this.pending = this.pending.filter((p) => p.time >= now - window);
    return this.finish();
  }

  /** All incidents kept, oldest first (copies). */
  incidents(): Incident[] {
    return this.records.map((r) => copyIncident(r.incident));
  }

  toState(): CorrelatorState {
    return structuredClone({
      version: 1 as const,
      seq: this.seq,
      clusterSize: this.clusterSize,
      records: this.records,
      pending: this.pending,
      nodes: this.health.toState(),
      names: this.names,
      reconnects: this.detector.toState(),
      codes: this.codes.toState(),
    });
  }

  static fromState(state: CorrelatorState, options: CorrelatorSettings = {}, counters?: CorrelatorCounters): Correlator {
    if (state.version !== 1) throw new Error(`correlate: state version ${String(state.version)} is not 1 (delete the incidents state file to start fresh)`);
    const c = new Correlator(options, counters);
    const s = structuredClone(state);
    c.seq = s.seq;
    c.clusterSize = options.clusterSize ?? s.clusterSize;
    c.records = s.records.slice(-c.options.maxIncidents);
    c.pending = s.pending.slice(-MAX_PENDING);
    c.names = s.names;
    c.health = new NodeHealth(c.options, s.nodes);
    c.detector = MassReconnectDetector.fromState(s.reconnects, c.options.massReconnect);
    c.codes = CodeCounter.fromState(s.codes);
    return c;
  }

  /** A node that flaps again soon after its flapping incident ended continues that incident. */
  private reopenFlapping(f: Fact): boolean {
    const r = flappingToReopen(this.records, f, this.options.flapWindow);
    if (!r) return false;
    r.incident.end = null;
    this.touch(r, 'reopened');
    applyFact(r, f, this.options.evidenceCap);
    return true;
  }

  private open(f: Fact): boolean {
    // one node going unknown is routine; several at once is a new leader re-registering everyone
    const unknownOthers = f.role === 'unknown' && this.pending.some((p) => p.role === 'unknown' && p.node !== f.node && Math.abs(p.time - f.time) <= this.options.window);
    if (!OPENS.has(f.role) && !unknownOthers) return false;
    this.seq++;
    const r = newRecord(`${new Date(f.time).toISOString().replace(/[-:]|\.\d+/g, '')}-${this.seq}`, f);
    applyFact(r, f, this.options.evidenceCap);
    this.pull(r);
    this.records.push(r);
    this.touch(r, 'opened');
    this.bound();
    return true;
  }

  /** Takes held background and details that belong to a newly opened incident. */
  private pull(r: IncidentRecord): void {
    const { window } = this.options;
    const near = (p: Fact) => p.time >= r.incident.start - window && p.time <= r.incident.lastActivityAt + window;
    // nodes first, so details about a node that just joined are taken too
    const ordered = [...this.pending].sort((a, b) => Number(NAMES_NODE.has(b.role)) - Number(NAMES_NODE.has(a.role)));
    const taken = new Set<Fact>();
    for (const p of ordered) {
      if (!near(p) || !belongsToNew(r, p)) continue;
      applyFact(r, p, this.options.evidenceCap);
      taken.add(p);
    }
    this.pending = this.pending.filter((p) => !taken.has(p));
  }

  private hold(f: Fact): void {
    const since = f.time - this.options.window;
    this.pending = this.pending.filter((p) => p.time >= since);
    this.pending.push(f);
    if (this.pending.length > MAX_PENDING) this.pending.splice(0, this.pending.length - MAX_PENDING);
  }

  private markStorm(time: number): void {
    const bad = this.health.unhealthy(time);
    const size = Math.max(this.clusterSize ?? this.health.known(), 1);
    // one node is never a storm: while the cluster size is not known yet it would look like one
    if (bad.length < 2 || bad.length / size <= this.options.stormShare) return;
    for (const r of this.records) {
      if (r.incident.end !== null || r.incident.storm || !r.incident.nodes.some((n) => bad.includes(n))) continue;
      r.incident.storm = true;
      this.touch(r, 'updated');
    }
  }

  /** A daemon start (or a manager's first election) where what we know of the node begins: no restart. */
  private startOfLog(fact: Fact): boolean {
    if (!fact.node || fact.evidence.rule === 'leader-change') return false;
    if (fact.daemon === 'started' && this.health.startsLog(fact.node, fact.time, this.options.window, 'daemon')) {
      this.health.markStart(fact.node, fact.time);
      return true;
    }
    return fact.role === 'election' && this.health.startsLog(fact.node, fact.time, this.options.window, 'election');
  }

  /** Who exists, who is a manager, which id is which node: counted before the observation is read. */
  private learn(obs: Observation): void {
    const { time, seen, managers, names } = whoIsWho(obs);
    for (const n of seen) this.health.see(n, time);
    for (const n of managers) this.health.markManager(n, time);
    for (const [id, node] of names) this.setNodeName(id, node);
  }

  /** Keeps at most maxIncidents: the oldest ended go first; past that, the oldest open one is ended. */
  private bound(): void {
    while (this.records.length > this.options.maxIncidents) {
      let idx = this.records.findIndex((r) => r.incident.end !== null);
      if (idx < 0) {
        idx = 0;
        const r = this.records[0]!;
        r.incident.end = endOf(r);
        this.touch(r, 'ended');
      }
      this.records.splice(idx, 1);
    }
  }

  private touch(r: IncidentRecord, change: IncidentChangeType): void {
    const known = this.changes.get(r);
    if (!known) this.changes.set(r, { change, before: r.incident.kind, seen: fingerprint(r.incident) });
    else if (RANK[change] > RANK[known.change]) known.change = change;
  }

  /** Names each touched incident's kind and summary again and reports the changes. */
  private finish(): IncidentChange[] {
    const out: IncidentChange[] = [];
    for (const [r, { change, before, seen }] of this.changes) {
      const i = r.incident;
      const { flapCount } = this.options;
      const flapping = (n: string) => {
        const f = this.health.flaps(n, i.lastActivityAt);
        return f.count >= flapCount && !f.down;
      };
      i.kind = classify(r, this.options.window, flapping);
      if (i.kind === 'flapping') i.flaps = Math.max(...i.nodes.map((n) => this.health.flaps(n, i.lastActivityAt).count));
      i.summary = summarize(i);
      // one more session failure in a long partition is not news: report what an operator would see change
      if (change === 'updated' && fingerprint(i) === seen) continue;
      const c: IncidentChange = { change, incident: copyIncident(i) };
      if (change !== 'opened' && before !== i.kind) c.previousKind = before;
      out.push(c);
    }
    this.changes.clear();
    return out;
  }
}
