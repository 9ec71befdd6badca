import type { Clock } from '../adapters/clock.js';
import type { DockerClient, RawSnapshot } from '../adapters/docker.js';
import { readState, type StateFile } from '../adapters/state-file.js';
import type { Logger } from '../log/logger.js';
import { planRebalanceInSlices, type Plan, type ServicePlan } from '../rebalance/index.js';
import { moveService, type Progress, type ServiceOutcome } from './executor.js';
import { admit, emptyGovernor, record, type GovernorLimits, type GovernorState } from './governor.js';
import { readIntent, type Intent } from './intent.js';
import { waitForTasks } from './service-watch.js';
import { finishIntent } from './settle.js';

export interface RebalancerOptions extends GovernorLimits {
  serviceTimeoutMs: number;
  dockerTimeoutMs: number;
  maxInFlight: number;
  node: string;
}

export interface RunResult {
  plan: Plan;
  outcomes: ServiceOutcome[];
  held: Array<{ service: string; reason: string }>;
}

/** Which intents left on services are finished by recover(): no live run can still be writing them. */
export interface Orphans {
  /** Intents started before this time (ms) are past any live run's write window (intent.ts orphanAfterMs). */
  startedBefore: number;
  /** Also younger intents written by this node's agent: a run of an earlier process here (this one skips its own). */
  by?: string;
}

/** Plans from a fresh snapshot, admits what the limits allow, and moves up to maxInFlight services at once. */
export class Rebalancer {
  private state: GovernorState;
  private running = false;
  /** Services this process is moving or recovering right now: never taken for orphans. */
  private readonly inFlight = new Set<string>();

  constructor(
    private readonly docker: DockerClient,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly store: StateFile<GovernorState>,
    private readonly options: () => RebalancerOptions,
  ) {
    // An unusable file is kept aside and only forgets cooldowns.
    this.state = readState(store, 'rebalance state', log) ?? emptyGovernor();
  }

  get busy(): boolean {
    return this.running;
  }

  async run(reason: string, services?: string[], onProgress?: (p: Progress) => void): Promise<RunResult> {
    if (this.running) throw new Error('a rebalance is already running');
    this.running = true;
    try {
      const opts = this.options();
      const now = this.clock.now();
      // In slices: the agent keeps following its journal and answering health checks while it plans.
      const plan = await planRebalanceInSlices(await this.docker.snapshot(), { services, now });
      const { admitted, held } = admit(plan.services, this.state, now, opts);
      for (const h of held) this.log.log('WDG-REBALANCE-006', `${h.service}: not rebalanced now: ${h.reason}`, { service: h.service, reason: h.reason });
      const planId = `${new Date(now).toISOString()}-${opts.node}`;
      this.log.log('WDG-REBALANCE-001', `rebalance started (${reason}): ${admitted.length} service(s) to move`, { reason, planId, services: admitted.map((p) => p.serviceName) });
      const outcomes: ServiceOutcome[] = [];
      const queue = [...admitted];
      const worker = async () => {
        for (let p = queue.shift(); p; p = queue.shift()) outcomes.push(await this.move(p, planId, opts, onProgress));
      };
      await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.maxInFlight, admitted.length)) }, worker));
      return { plan, outcomes, held };
    } finally {
      this.running = false;
    }
  }

  private async move(p: ServicePlan, planId: string, opts: RebalancerOptions, onProgress?: (p: Progress) => void): Promise<ServiceOutcome> {
    this.inFlight.add(p.serviceId);
    let outcome: ServiceOutcome;
    try {
      outcome = await moveService(this.docker, this.clock, this.log, p, { serviceTimeoutMs: opts.serviceTimeoutMs, dockerTimeoutMs: opts.dockerTimeoutMs, by: opts.node, planId, onProgress });
    } finally {
      this.inFlight.delete(p.serviceId);
    }
    this.state = record(this.state, p.serviceId, outcome.moved, this.clock.now(), opts.movesWindowMs);
    this.save();
    if (outcome.error) this.log.log(outcome.code!, outcome.error, { service: outcome.service, moved: outcome.moved });
    else this.log.log('WDG-REBALANCE-002', `${outcome.service} rebalanced: ${outcome.moved} task(s) moved`, { service: outcome.service, before: outcome.before, after: outcome.after, moved: outcome.moved });
    return outcome;
  }

  /** Services of the snapshot carrying an intent recover() would finish (cheap: no Docker call). */
  orphans(snap: RawSnapshot, which: Orphans): Array<{ id: string; name: string; intent: Intent; replicas: number | undefined }> {
    const out = [];
    for (const s of snap.services) {
      const intent = readIntent(s.Spec?.Labels);
      if (!intent || this.inFlight.has(s.ID)) continue;
      if (Date.parse(intent.startedAt) < which.startedBefore || (which.by !== undefined && intent.by === which.by)) {
        out.push({ id: s.ID, name: s.Spec?.Name ?? s.ID, intent, replicas: s.Spec?.Mode?.Replicated?.Replicas });
      }
    }
    return out;
  }

  /**
   * Finishes what a crashed or cut-off agent or command left: every service carrying an intent no
   * live run can still be writing goes back to its replicas (or keeps an operator's, see settle.ts).
   * Younger intents are left to their owner; the caller asks again later.
   */
  async recover(which: Orphans): Promise<string[]> {
    const done: string[] = [];
    for (const o of this.orphans(await this.docker.snapshot(), which)) {
      if (this.inFlight.has(o.id)) continue;
      this.inFlight.add(o.id);
      try {
        await this.finishOrphan(o.id, o.name, o.intent, o.replicas);
        done.push(o.name);
      } catch (err) {
        this.log.log('WDG-REBALANCE-003', `${o.name}: could not finish the interrupted rebalance: ${(err as Error).message}`, { service: o.name });
      } finally {
        this.inFlight.delete(o.id);
      }
    }
    return done;
  }

  private async finishOrphan(id: string, name: string, intent: Intent, replicas: number | undefined): Promise<void> {
    const timeout = this.options().serviceTimeoutMs;
    this.log.log('WDG-REBALANCE-007', `${name}: finishing a rebalance interrupted by a crash or a lost leadership (started ${intent.startedAt} by ${intent.by}; back to ${intent.replicas} replicas)`, { service: name, intent });
    // Let the tasks the interrupted scale-up started come up first, so the scale-down removes the
    // planned ones; then go back to the original count either way. (Another count is an operator's.)
    if (replicas === intent.replicas + intent.k) {
      await waitForTasks(this.docker, this.clock, id, (c) => c.running >= intent.replicas + intent.k && c.unassigned === 0, timeout);
    }
    await finishIntent(this.docker, this.clock, this.log, id, { expected: intent, stopWaitMs: timeout });
  }

  private save(): void {
    try {
      this.store.write(this.state);
    } catch (err) {
      this.log.log('WDG-STATE-002', `cannot save rebalance state: ${(err as Error).message}`, { path: this.store.path });
    }
  }
}
