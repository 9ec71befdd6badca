import { join } from 'node:path';
import type { Clock } from '../adapters/clock.js';
import type { DockerClient, LocalNode, RawSnapshot } from '../adapters/docker.js';
import type { JournalSource } from '../adapters/journalctl.js';
import { realtimeUs } from '../adapters/journal-resume.js';
import type { StateFile } from '../adapters/state-file.js';
import type { Config } from '../config/schema.js';
import type { Correlator } from '../correlate/correlator.js';
import type { IncidentChange, IncidentKind, Observation } from '../correlate/types.js';
import { codeMatcher, type CodeMatcher } from '../detect/app-codes.js';
import { SessionTracker, type SessionChange } from '../detect/session-tracker.js';
import { RuleEngine } from '../detect/rule-engine.js';
import { loadRulesFile } from '../detect/load-rules.js';
import type { Logger } from '../log/logger.js';
import type { Health } from '../operate/health.js';
import type { Metrics } from '../operate/metrics.js';
import { journalHealth, type JournalRead } from '../operate/journal-health.js';
import { ClusterView, type ClusterObservation } from '../correlate/cluster-view.js';
import { ContainerLogs, type ContainerLine } from '../sources/container-logs.js';
import type { JournalRecord } from '../sources/journal-record.js';
import { agentStateFile, readAgentState, restoreCorrelator, type AgentState } from './agent-state.js';
import { Checkpointer } from './checkpoint.js';
import { ClusterWatch } from './cluster-watch.js';
import { correlatorOptions } from '../pipeline/correlator-options.js';
import { EvidenceLog, Watermarks } from './evidence-log.js';
import { logIncidentChange } from './incident-log.js';
import { intake, isContainerRecord } from '../pipeline/intake.js';
import { PeerPuller } from './peers.js';

const INCIDENT_KINDS: IncidentKind[] = ['partition', 'daemon-restart', 'host-reboot', 'leader-election', 'flapping', 'mass-reconnect-only'];

export interface AgentDeps {
  config: Config;
  log: Logger;
  clock: Clock;
  docker: DockerClient;
  journal: JournalSource;
  metrics: Metrics;
  health: Health;
}

/** Listeners for what the acting agent decides (alerts, rebalancing), wired by the caller. */
export interface AgentHooks {
  incidentChanged?(change: IncidentChange, acting: boolean): void;
  reconciled?(local: LocalNode, snapshot: RawSnapshot | undefined): void;
  tick?(acting: boolean): void;
  /** Every observation correlated (own and peers' evidence, the cluster's changes). */
  observed?(obs: Observation, acting: boolean): void;
}

export class Agent {
  private readonly stateFile: StateFile<AgentState>;
  private readonly checkpoint: Checkpointer<AgentState>;
  private state: AgentState;
  private evidence: EvidenceLog;
  private marks: Watermarks;
  private readonly puller: PeerPuller;
  private correlator: Correlator;
  private rules: RuleEngine;
  private codes: CodeMatcher;
  private readonly view: ClusterView;
  private readonly watch: ClusterWatch;
  private readonly nodeStates = new SessionTracker();
  private readonly containerLogs?: ContainerLogs;
  private tickTimer?: { cancel(): void };
  private pullTimer?: { cancel(): void };
  private lastPulledByActing = 0;
  private journalRead?: JournalRead;
  hooks: AgentHooks = {};

  constructor(private deps: AgentDeps) {
    const { config, clock, log } = deps;
    this.stateFile = agentStateFile(join(config.stateDir, 'agent-state.json'));
    this.state = readAgentState(this.stateFile, deps.log);
    this.evidence = EvidenceLog.fromState(this.state.evidence);
    this.marks = new Watermarks(this.state.marks);
    this.puller = new PeerPuller(this.marks);
    this.correlator = restoreCorrelator(this.state, correlatorOptions(config), this.stateFile, deps.log, deps.metrics);
    this.rules = new RuleEngine(loadRulesFile(config.rulesFile));
    this.codes = codeMatcher(config.appLogs);
    this.checkpoint = new Checkpointer(this.stateFile, config.journal.cursorFlush, clock, () => this.snapshotState(), log);
    this.view = new ClusterView(config.correlate.window);
    if (config.appLogs.dockerApi) {
      this.containerLogs = new ContainerLogs(deps.docker, log, (l) => this.onContainerLine(l), this.state.containerLogs, clock.now(), config.peers.service);
    }
    this.watch = new ClusterWatch(deps.docker, this.view, clock, log, () => this.deps.config.cluster.reconcileEvery, {
      observations: (obs) => this.onCluster(obs),
      reconciled: (local, snap) => this.onReconciled(local, snap),
      dockerDown: (err) => {
        this.deps.health.set('docker', 'ERROR', this.deps.clock.now(), err.message);
        this.deps.log.log('WDG-DOCKER-001', `Docker API unavailable: ${err.message}`, { socket: this.deps.config.docker.socket });
      },
    });
  }

  get handled(): number {
    return this.state.handled;
  }

  get firstCursor(): string | undefined {
    return this.state.firstCursor;
  }

  get cursor(): string | undefined {
    return this.state.cursor;
  }

  get acting(): boolean {
    return Boolean(this.watch.local?.isLeader);
  }

  get local(): LocalNode | undefined {
    return this.watch.local;
  }

  incidents() {
    return this.correlator.incidents();
  }

  codeCounts() {
    return this.correlator.codeCounts();
  }

  resetCodeCounts(): void {
    this.correlator.resetCodeCounts();
    this.checkpoint.dirty();
  }

  /** Since when this node's daemon has been without a manager session. */
  sessionLostSince(): number | undefined {
    const h = this.nodeStates.get(this.deps.config.node);
    return h?.state === 'session-lost' ? h.since : undefined;
  }

  evidenceAfter(after: number) {
    this.lastPulledByActing = this.deps.clock.now();
    return { node: this.deps.config.node, ...this.evidence.after(after) };
  }

  start(): void {
    const { journal, log, config } = this.deps;
    log.log('WDG-JOURNAL-007', this.state.cursor ? 'resuming the journal after the saved cursor' : `no saved cursor: reading from ${config.journal.lookback ? `${config.journal.lookback / 1000}s ago` : 'now'}`, {
      cursor: this.state.cursor,
      handled: this.state.handled,
    });
    journal.start({ cursor: this.state.cursor, realtimeUs: this.state.cursorRealtimeUs }, (record) => this.onRecord(record));
    this.watch.start();
    this.scheduleTick();
    this.schedulePull();
  }

  async stop(): Promise<void> {
    this.tickTimer?.cancel();
    this.pullTimer?.cancel();
    this.watch.stop();
    this.containerLogs?.stop();
    await this.deps.journal.stop();
    this.checkpoint.flush();
  }

  /** A config reload: what can change at runtime changes here; state is kept. */
  applyConfig(config: Config): void {
    this.prepareConfig(config)();
  }

  /** Builds what `config` needs (throws, changing nothing, when it cannot); the returned step applies it. */
  prepareConfig(config: Config): () => void {
    const rules = new RuleEngine(loadRulesFile(config.rulesFile));
    const codes = codeMatcher(config.appLogs);
    const options = correlatorOptions(config);
    return () => {
      this.deps = { ...this.deps, config };
      this.rules = rules;
      this.codes = codes;
      this.correlator.setOptions(options);
    };
  }

  private onRecord(record: JournalRecord): void {
    const { config, metrics, clock } = this.deps;
    let result;
    try {
      // appLogs.journal off: containers' lines in the journal are not read for codes (still handled once).
      result = !config.appLogs.journal && isContainerRecord(record)
        ? { observations: [] }
        : intake(record, config.node, this.state.intake, { rules: this.rules, codes: this.codes, ownService: config.peers.service });
    } catch (err) {
      // A bug on one odd record must not stop the follower: log it and move on.
      this.deps.log.log('WDG-CLI-001', `internal error on a journal record: ${(err as Error).message}`, { stack: (err as Error).stack });
      result = { observations: [] };
    }
    this.state.handled++;
    if (typeof record.__CURSOR === 'string') {
      this.state.cursor = record.__CURSOR;
      this.state.cursorRealtimeUs = realtimeUs(record);
      this.state.firstCursor ??= record.__CURSOR;
    }
    metrics.journalEntries.inc({ node: config.node });
    if (result.entry?.raw) metrics.parseRaw.inc();
    if (result.entry) {
      this.journalRead = { entryTime: result.entry.time, handledAt: clock.now() };
      metrics.journalLag.set(Math.max(0, (clock.now() - result.entry.time) / 1000));
    }
    // Built only in debug mode: this runs for every journal entry.
    if (result.entry && this.deps.log.control.level === 'debug') this.deps.log.debug('journal entry', { cursor: this.state.cursor, level: result.entry.level, msg: result.entry.msg.slice(0, 200), signals: result.observations.length });
    for (const obs of result.observations) this.ownEvidence(obs);
    this.checkpoint.dirty();
  }

  private onContainerLine({ container, time, line }: ContainerLine): void {
    const code = this.codes.codeOf(line);
    if (!code) return;
    this.ownEvidence({ type: 'app-code', time, node: this.deps.config.node, service: container.service, taskId: container.taskId, code, reconnect: this.codes.isReconnect(code) });
    this.checkpoint.dirty();
  }

  /** This node's own evidence: counted here (so metrics sum across agents), kept for peers, correlated. */
  private ownEvidence(obs: Observation): void {
    const m = this.deps.metrics;
    if (obs.type === 'signal') m.signals.inc({ kind: obs.signal.kind });
    if (obs.type === 'app-code') m.countAppCode(obs.code);
    this.evidence.append(obs);
    this.observe(obs);
  }

  private observe(obs: Observation): void {
    if (obs.type === 'signal') {
      this.logNodeState(this.nodeStates.apply(obs.signal));
      this.deps.log.debug('signal', { node: obs.signal.node, rule: obs.signal.rule, kind: obs.signal.kind, errorClass: obs.signal.errorClass, message: obs.signal.message });
    }
    this.hooks.observed?.(obs, this.acting);
    this.handleChanges(this.correlator.add(obs));
  }

  private onCluster(obs: ClusterObservation[]): void {
    if (!this.acting) return; // only the acting agent correlates cluster-wide
    for (const o of obs) this.observe(o);
  }

  private onReconciled(local: LocalNode, snapshot: RawSnapshot | undefined): void {
    this.deps.health.set('docker', 'OK', this.deps.clock.now());
    void this.containerLogs?.sync().catch((err) => this.deps.log.debug('container log sync failed', { error: (err as Error).message }));
    if (snapshot) {
      for (const [nodeId, node] of this.view.nodeIdToName()) this.correlator.add({ type: 'node-name', nodeId, node });
      this.correlator.setClusterSize(snapshot.nodes.length);
      const running = new Map<string, number>();
      const names = new Map<string, string>(snapshot.services.map((svc) => [svc.ID, svc.Spec?.Name ?? svc.ID]));
      for (const t of snapshot.tasks) if (t.DesiredState === 'running' && t.ServiceID) running.set(t.ServiceID, (running.get(t.ServiceID) ?? 0) + 1);
      for (const [id, count] of running) this.correlator.setServiceTaskCount(names.get(id) ?? id, count);
    }
    this.hooks.reconciled?.(local, snapshot);
  }

  private handleChanges(changes: IncidentChange[]): void {
    for (const change of changes) {
      logIncidentChange(this.deps.log, change);
      if (change.change === 'opened') this.deps.metrics.incidents.inc({ kind: change.incident.kind });
      this.hooks.incidentChanged?.(change, this.acting);
    }
    if (changes.length) this.checkpoint.dirty();
  }

  /** watchdog_incidents_open: every kind is written, so an ended incident's kind goes back to 0. */
  private countOpen(): void {
    const open = new Map<string, number>(INCIDENT_KINDS.map((k) => [k, 0]));
    for (const i of this.correlator.incidents()) if (i.end === null) open.set(i.kind, (open.get(i.kind) ?? 0) + 1);
    for (const [kind, n] of open) this.deps.metrics.incidentsOpen.set({ kind }, n);
  }

  private logNodeState(change: SessionChange | undefined): void {
    if (!change) return;
    const { node, session } = change;
    const fields = { node, state: change.to, failures: session.failures, errorClass: session.lastErrorClass, rule: change.rule };
    if (change.to === 'session-lost') this.deps.log.log('WDG-DETECT-001', `${node} lost its manager session${session.lastErrorClass ? ` (${session.lastErrorClass})` : ''}`, fields);
    else if (change.from === 'session-lost') this.deps.log.log('WDG-DETECT-002', `${node} has its manager session back`, fields);
    else this.deps.log.debug('node state', fields);
  }

  private scheduleTick(): void {
    this.tickTimer = this.deps.clock.setTimeout(() => {
      for (const change of this.nodeStates.tick(this.deps.clock.now())) this.logNodeState(change);
      this.handleChanges(this.correlator.tick(this.deps.clock.now()));
      this.countOpen();
      this.updateHealth();
      this.hooks.tick?.(this.acting);
      this.scheduleTick();
    }, 1000);
  }

  private schedulePull(): void {
    this.pullTimer = this.deps.clock.setTimeout(async () => {
      try {
        if (this.acting) await this.pullPeers();
      } catch (err) {
        // Whatever a peer sent, the acting agent keeps running: the next round starts on time.
        this.deps.log.log('WDG-PEER-002', `a round of pulling peer evidence failed: ${(err as Error).message}`, { stack: (err as Error).stack });
      } finally {
        this.schedulePull();
      }
    }, this.deps.config.peers.pullEvery);
  }

  private async pullPeers(): Promise<void> {
    const { config, health, clock, log, metrics } = this.deps;
    const target = { node: config.node, static: config.peers.static, service: config.peers.service, port: config.http.port, token: config.secrets.peerToken };
    const { answered, expected, failed, dropped } = await this.puller.pullAll(target, (obs) => this.observePeer(obs));
    for (const d of dropped) {
      metrics.peerEvidenceDropped.inc({ peer: d.node }, d.count);
      log.log('WDG-PEER-001', `dropped ${d.count} evidence item(s) from ${d.node} that this version cannot read (${d.firstReason})`, { peer: d.node, count: d.count, reason: d.firstReason });
    }
    health.set('peers', expected === 0 || answered > 0 ? 'OK' : 'UNREACHABLE', clock.now(), failed.length ? `unreachable: ${failed.join('; ')}` : undefined);
  }

  /** One valid peer item; a failure on it (a bug) is logged and the round goes on with the next. */
  private observePeer(obs: Observation): void {
    try {
      this.observe(obs);
    } catch (err) {
      this.deps.log.log('WDG-PEER-002', `a peer evidence item could not be correlated: ${(err as Error).message}`, { type: obs.type, stack: (err as Error).stack });
    }
    this.checkpoint.dirty();
  }

  private updateHealth(): void {
    const { health, clock, config, journal } = this.deps;
    const now = clock.now();
    const reader = journalHealth(journal.running, this.journalRead, now);
    health.set('journal', reader.status, now, reader.detail);
    if (!this.acting) {
      const quiet = now - this.lastPulledByActing;
      const alone = config.peers.static.length + (config.peers.service ? 1 : 0) > 0 && this.lastPulledByActing > 0 && quiet > config.alerts.managersUnreachableAfter;
      health.set('peers', alone ? 'TIMEOUT' : 'OK', now, alone ? `the acting agent has not pulled evidence for ${Math.round(quiet / 1000)} s` : undefined);
    }
  }

  private snapshotState(): AgentState {
    return { ...this.state, evidence: this.evidence.toState(), marks: this.marks.toState(), correlator: this.correlator.toState(), containerLogs: this.containerLogs?.positions };
  }
}
