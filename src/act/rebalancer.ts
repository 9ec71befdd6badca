import type { Clock } from '../adapters/clock.js';
import type { DockerClient } from '../adapters/docker.js';
import type { StateFile } from '../adapters/state-file.js';
import type { Logger } from '../log/logger.js';
import { planRebalanceInSlices, type Plan } from '../rebalance/index.js';
import { moveService, finishIntent, type Progress, type ServiceOutcome } from './executor.js';
import { admit, emptyGovernor, record, type GovernorLimits, type GovernorState } from './governor.js';
import { readIntent } from './intent.js';
import { waitForTasks } from './service-watch.js';

export interface RebalancerOptions extends GovernorLimits {
  serviceTimeoutMs: number;
  maxInFlight: number;
  node: string;
}

export interface RunResult {
  plan: Plan;
  outcomes: ServiceOutcome[];
  held: Array<{ service: string; reason: string }>;
}

/** Plans from a fresh snapshot, admits what the limits allow, and moves up to maxInFlight services at once. */
export class Rebalancer {
  private state: GovernorState;
  private running = false;

  constructor(
    private readonly docker: DockerClient,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly store: StateFile<GovernorState>,
    private readonly options: () => RebalancerOptions,
  ) {
    try {
      this.state = store.read() ?? emptyGovernor();
    } catch {
      this.state = emptyGovernor(); // a corrupt file only forgets cooldowns
    }
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
        for (let p = queue.shift(); p; p = queue.shift()) {
          const outcome = await moveService(this.docker, this.clock, this.log, p, { serviceTimeoutMs: opts.serviceTimeoutMs, by: opts.node, planId, onProgress });
          outcomes.push(outcome);
          this.state = record(this.state, p.serviceId, outcome.moved, this.clock.now(), opts.movesWindowMs);
          this.save();
          if (outcome.error) this.log.log(outcome.code!, outcome.error, { service: outcome.service, moved: outcome.moved });
          else this.log.log('WDG-REBALANCE-002', `${outcome.service} rebalanced: ${outcome.moved} task(s) moved`, { service: outcome.service, before: outcome.before, after: outcome.after, moved: outcome.moved });
        }
      };
      await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.maxInFlight, admitted.length)) }, worker));
      return { plan, outcomes, held };
    } finally {
      this.running = false;
    }
  }

  /**
   * Finishes what a crashed agent or command left: every service still carrying our intent (started
   * before `startedBefore`, when given) goes back to its replicas.
   */
  async recover(startedBefore = Infinity): Promise<string[]> {
    const snap = await this.docker.snapshot();
    const left = snap.services.filter((s) => {
      const intent = readIntent(s.Spec?.Labels);
      return intent && !(Date.parse(intent.startedAt) >= startedBefore);
    });
    const done: string[] = [];
    for (const svc of left) {
      const name = svc.Spec?.Name ?? svc.ID;
      const intent = readIntent(svc.Spec?.Labels)!;
      this.log.log('WDG-REBALANCE-007', `${name}: finishing a rebalance interrupted by a crash (back to ${intent.replicas} replicas)`, { service: name, intent });
      // Let the tasks the interrupted scale-up started come up first, so the scale-down removes the
      // planned ones; then go back to the original count either way.
      await waitForTasks(this.docker, this.clock, svc.ID, (c) => c.running >= intent.replicas + intent.k && c.unassigned === 0, this.options().serviceTimeoutMs);
      try {
        await finishIntent(this.docker, this.clock, this.log, svc.ID, this.options().serviceTimeoutMs);
        done.push(name);
      } catch (err) {
        this.log.log('WDG-REBALANCE-003', `${name}: could not finish the interrupted rebalance: ${(err as Error).message}`, { service: name });
      }
    }
    return done;
  }

  private save(): void {
    try {
      this.store.write(this.state);
    } catch (err) {
      this.log.log('WDG-STATE-002', `cannot save rebalance state: ${(err as Error).message}`, { path: this.store.path });
    }
  }
}
