// What the acting agent does with what it knows: Slack alerts and the automatic rebalance after a
// heal. Every agent runs this; only the acting one (its node is the Raft leader) posts and moves.
import { join } from 'node:path';
import type { Clock } from '../adapters/clock.js';
import type { DockerClient, LocalNode, RawSnapshot } from '../adapters/docker.js';
import { StateFile } from '../adapters/state-file.js';
import { governorStateSchema, notifierStateSchema } from './state-schemas.js';
import type { GovernorState } from '../act/governor.js';
import { orphanAfterMs } from '../act/intent.js';
import { Rebalancer, type Orphans } from '../act/rebalancer.js';
import { shouldRebalance, updateReadySince } from '../act/trigger.js';
import type { Config } from '../config/schema.js';
import type { Incident, IncidentChange, Observation } from '../correlate/types.js';
import type { Logger } from '../log/logger.js';
import type { ServiceResult } from '../notify/messages.js';
import type { Health } from '../operate/health.js';
import type { Metrics } from '../operate/metrics.js';
import type { Route } from '../http/server.js';
import { planRebalance, planToJson } from '../rebalance/index.js';
import { isReply, parseRebalanceRequest } from './rebalance-request.js';
import { SlackDuty } from './slack-duty.js';
import { threadRoutes } from './thread-sync.js';

export interface DutiesDeps {
  config: () => Config;
  docker: DockerClient;
  clock: Clock;
  log: Logger;
  metrics: Metrics;
  health: Health;
  incidents: () => Incident[];
  /** Since when this node's own daemon has been without a manager session (undefined: it has one). */
  sessionLostSince: () => number | undefined;
}

export class Duties {
  readonly slack: SlackDuty;
  readonly rebalancer: Rebalancer;
  private readySince: Record<string, number | undefined> = {};
  private readonly done = new Set<string>();
  private retryAt = 0;
  private readonly retries = new Map<string, number>();
  private recovering = false;
  private lastWaiting?: string;

  get log(): Logger {
    return this.deps.log;
  }

  constructor(private readonly deps: DutiesDeps) {
    const config = deps.config();
    this.slack = new SlackDuty(deps);
    this.rebalancer = new Rebalancer(deps.docker, deps.clock, deps.log.child({ component: 'rebalance' }), new StateFile<GovernorState>(join(config.stateDir, 'rebalance.json'), governorStateSchema), () => {
      const c = this.deps.config();
      return { serviceTimeoutMs: c.rebalance.serviceTimeout, dockerTimeoutMs: c.docker.timeout, maxInFlight: c.rebalance.maxInFlight, node: c.node, maxMoves: c.rebalance.maxMoves, movesWindowMs: c.rebalance.movesWindow, cooldownMs: c.rebalance.cooldown };
    });
  }

  /** At start and on each applied reload. */
  applyConfig(config: Config): void {
    this.slack.applyConfig(config);
  }

  incidentChanged(change: IncidentChange, acting: boolean): void {
    this.slack.incidentChanged(change, acting);
  }

  observed(obs: Observation, acting: boolean): void {
    this.slack.observed(obs, acting);
  }

  /** After each reconcile of the cluster (managers) or of this node's role (workers). */
  reconciled(local: LocalNode, snapshot: RawSnapshot | undefined): void {
    const now = this.deps.clock.now();
    if (snapshot) this.readySince = updateReadySince(this.readySince, snapshot.nodes, now);
    this.slack.reconciled(snapshot);
    if (local.isLeader && snapshot) this.maybeRecover(snapshot);
    if (local.isLeader) this.maybeRebalance(now);
  }

  /** Once a second: Slack's queues and threads, and the local alert of a cut-off worker. */
  tick(acting: boolean): void {
    const { clock, config } = this.deps;
    const now = clock.now();
    const c = config();
    this.slack.tick(acting, { node: c.node, static: c.peers.static, service: c.peers.service, port: c.http.port, token: c.secrets.peerToken });
    const lost = this.deps.sessionLostSince();
    if (!acting && lost !== undefined && now - lost > c.alerts.managersUnreachableAfter) this.slack.managersUnreachable(c.node, now - lost);
    else if (lost === undefined) this.slack.managersReachable();
  }

  stop(): void {
    this.slack.stop();
  }

  /** Of `names`, those no service of the cluster answers to (matched as the planner matches them). */
  async unknownServices(names: string[]): Promise<string[]> {
    return planRebalance(await this.deps.docker.snapshot(), { services: names }).notFound;
  }

  /**
   * The acting agent finishes moves nobody is finishing any more: left by a crashed process of this
   * node, or by a run elsewhere older than any live run's write window (another agent that lost
   * leadership mid-move may still be writing a younger one: it is left to it, and asked again later).
   */
  private maybeRecover(snapshot: RawSnapshot): void {
    if (this.recovering) return;
    const c = this.deps.config();
    const which: Orphans = { startedBefore: this.deps.clock.now() - orphanAfterMs(c.rebalance.serviceTimeout, c.docker.timeout), by: c.node };
    if (!this.rebalancer.orphans(snapshot, which).length) return;
    this.recovering = true;
    void this.takeOver(which).finally(() => {
      this.recovering = false;
    });
  }

  private async takeOver(which: Orphans): Promise<void> {
    try {
      const finished = await this.rebalancer.recover(which);
      if (finished.length) this.deps.log.debug('finished interrupted rebalances', { services: finished });
    } catch (err) {
      this.deps.log.log('WDG-REBALANCE-003', `could not check for interrupted rebalances: ${(err as Error).message}`);
    }
  }

  private maybeRebalance(now: number): void {
    const config = this.deps.config();
    if (!config.rebalance.auto || this.rebalancer.busy || now < this.retryAt) return;
    const decision = shouldRebalance({
      now,
      incidents: this.deps.incidents(),
      readySince: this.readySince,
      stabilizationMs: config.rebalance.stabilization,
      flapWindowMs: config.correlate.flapWindow,
      done: this.done,
    });
    if (!decision.act) {
      const w = decision.waiting;
      if (w && `${w.incident}:${w.reason}` !== this.lastWaiting) this.deps.log.debug('rebalance waits', w);
      this.lastWaiting = w && `${w.incident}:${w.reason}`;
      return;
    }
    const incident = decision.incident;
    this.done.add(incident.id);
    void this.rebalancer
      .run(`after ${incident.kind} of ${incident.nodes.join(', ')}`)
      .then(({ plan, outcomes, held }) => {
        // Tasks still stopping on the healed node, an update, or a limit: try again a little later.
        const tries = (this.retries.get(incident.id) ?? 0) + 1;
        this.retries.set(incident.id, tries);
        if (tries < 30 && (held.length || plan.services.some((p) => p.busy))) {
          this.done.delete(incident.id);
          this.retryAt = this.deps.clock.now() + 10_000;
        }
        const name = (id: string) => plan.hostnames[id] ?? id;
        const byName = (p: Record<string, number>) => Object.fromEntries(Object.entries(p).map(([id, n]) => [name(id), n]));
        // Both sides list the same nodes, zeros included: "node3:0 → node3:2" is the point of the message.
        const results: ServiceResult[] = outcomes.map((o) => {
          const zeros = Object.fromEntries([...Object.keys(o.before), ...Object.keys(o.after)].map((id) => [name(id), 0]));
          return { service: o.service, before: { ...zeros, ...byName(o.before) }, after: { ...zeros, ...byName(o.after) }, error: o.error };
        });
        for (const o of outcomes) {
          this.deps.metrics.rebalanceMoves.inc(o.moved);
          if (o.error) this.deps.metrics.rebalanceFailures.inc();
        }
        this.slack.rebalanceDone(results, incident.id);
      })
      .catch((err) => {
        this.deps.metrics.rebalanceFailures.inc();
        this.deps.log.log('WDG-REBALANCE-003', `rebalance after ${incident.id} failed: ${(err as Error).message}`, { incident: incident.id });
        this.slack.rebalanceDone([{ service: '(all)', before: {}, after: {}, error: (err as Error).message }], incident.id);
      });
  }
}

/** Rebalance on request (authenticated): the acting agent plans and moves, like `watchdog rebalance`. */
export function dutyRoutes(duties: Duties, acting: () => boolean): Route[] {
  return [
    ...threadRoutes((threads) => duties.slack.receiveThreads(threads), () => duties.slack.threadList(), duties.log),
    {
      method: 'POST',
      path: '/v1/rebalance',
      handle: async (_q, body) => {
        const request = parseRebalanceRequest(body);
        if (isReply(request)) return request;
        if (!acting()) return { status: 409, body: { error: 'this agent does not act (its node is not the Raft leader): ask the leader\'s agent' } };
        if (duties.rebalancer.busy) return { status: 409, body: { error: 'a rebalance is already running' } };
        const { services } = request;
        const unknown = services ? await duties.unknownServices(services) : [];
        if (unknown.length) return { status: 404, body: { error: `no such service: ${unknown.join(', ')}`, unknown } };
        const result = await duties.rebalancer.run('requested over HTTP', services);
        return { status: 200, body: { ...planToJson(result.plan, false), results: result.outcomes, held: result.held } };
      },
    },
  ];
}
