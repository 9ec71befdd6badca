// Carries out a rebalance plan on a live swarm: for each service, scale up by k, wait until the new
// tasks run, scale down by k, so the service never runs below its desired replicas. The plan comes
// from the same pure planner the dry run prints; after each step the service is planned again.
import type { Clock } from '../adapters/clock.js';
import { OutOfSequenceError, type DockerClient } from '../adapters/docker.js';
import type { Logger } from '../log/logger.js';
import { planRebalanceInSlices, type ServicePlan } from '../rebalance/index.js';
import type { Placement } from '../rebalance/types.js';
import { INTENT_LABEL, readIntent, replicasOf, withIntent, withReplicas, writeWindowMs, type Intent } from './intent.js';
import { waitForTasks, type TaskCounts } from './service-watch.js';
import { BackOff, finishIntent, MoveTimeout, type Settled } from './settle.js';

export interface ExecOptions {
  serviceTimeoutMs: number;
  /** docker.timeout: bounds every Docker call, so the write window of a move (intent.ts). */
  dockerTimeoutMs: number;
  /** Who acts, recorded in the intent (the agent's node). */
  by: string;
  planId: string;
  onProgress?: (p: Progress) => void;
}

export interface Progress {
  service: string;
  phase: 'scale-up' | 'starting' | 'scale-down' | 'stopping' | 'done' | 'restoring';
  k?: number;
  counts?: TaskCounts;
}

export type OutcomeCode = 'WDG-REBALANCE-003' | 'WDG-REBALANCE-004' | 'WDG-REBALANCE-005';

export interface ServiceOutcome {
  service: string;
  serviceId: string;
  before: Placement;
  after: Placement;
  /** Tasks moved (k summed over the steps done). */
  moved: number;
  /** Set when the service was left before reaching the plan: a coded reason. */
  error?: string;
  code?: OutcomeCode;
}

const MAX_STEPS = 20;

const codeOf = (err: unknown): OutcomeCode => (err instanceof BackOff ? 'WDG-REBALANCE-004' : err instanceof MoveTimeout ? 'WDG-REBALANCE-005' : 'WDG-REBALANCE-003');

export async function moveService(docker: DockerClient, clock: Clock, log: Logger, plan: ServicePlan, opts: ExecOptions): Promise<ServiceOutcome> {
  const outcome: ServiceOutcome = { service: plan.serviceName, serviceId: plan.serviceId, before: plan.before, after: plan.before, moved: 0 };
  let current = plan;
  try {
    for (let i = 0; i < MAX_STEPS && !current.skipped && current.steps.length; i++) {
      const step = current.steps[0]!;
      await scaleStep(docker, clock, log, current, step.k, opts);
      outcome.moved += step.k;
      // Plan again from what Swarm really did: the next step (if any) starts from the truth.
      const next = (await planRebalanceInSlices(await docker.snapshot(), { services: [plan.serviceId] })).services[0];
      outcome.after = next?.before ?? current.after;
      if (!next || next.skipped) break;
      current = next;
    }
    opts.onProgress?.({ service: plan.serviceName, phase: 'done' });
    return outcome;
  } catch (err) {
    const failed = err instanceof StepFailed ? err : undefined;
    return { ...outcome, error: (err as Error).message, code: failed?.code ?? codeOf(err) };
  }
}

/** A step that failed after its scale-up was written: the message says how the service was left. */
class StepFailed extends Error {
  constructor(message: string, readonly code: OutcomeCode) {
    super(message);
  }
}

async function scaleStep(docker: DockerClient, clock: Clock, log: Logger, plan: ServicePlan, k: number, opts: ExecOptions): Promise<void> {
  const name = plan.serviceName;
  const svc = await docker.inspectService(plan.serviceId);
  const replicas = replicasOf(svc.Spec);
  if (replicas !== plan.replicas) throw new BackOff(`${name}: replicas changed to ${replicas} since the plan (someone else is changing it); left alone`);
  if (readIntent(svc.Spec.Labels)) throw new BackOff(`${name}: another rebalance is under way (label ${INTENT_LABEL}); left alone`);
  const intent: Intent = { planId: opts.planId, replicas, k, startedAt: new Date(clock.now()).toISOString(), by: opts.by };
  const writeBy = clock.now() + writeWindowMs(opts.serviceTimeoutMs, opts.dockerTimeoutMs);
  const settle = (stopWaitMs: number, onPoll?: (c: TaskCounts) => void) => finishIntent(docker, clock, log, plan.serviceId, { expected: intent, writeBy, stopWaitMs, onPoll });
  const restore = async (err: unknown) => {
    opts.onProgress?.({ service: name, phase: 'restoring', k });
    return new StepFailed(`${(err as Error).message}; ${await restoreNote(settle)}`, codeOf(err));
  };

  opts.onProgress?.({ service: name, phase: 'scale-up', k });
  const up = { ...withReplicas(svc.Spec, replicas + k), Labels: withIntent(svc.Spec.Labels, intent, svc.PreviousSpec) };
  try {
    await docker.updateService(plan.serviceId, svc.Version.Index, up);
  } catch (err) {
    // Someone wrote in between: never overwrite their change; the next run plans again.
    if (err instanceof OutOfSequenceError) throw new BackOff(`${name}: update out of sequence (changed by someone else); left alone`);
    throw await restore(err); // a timed-out write may still have landed
  }
  log.debug('scaled up', { service: name, replicas: replicas + k, planId: opts.planId });
  try {
    const started = await waitForTasks(docker, clock, plan.serviceId, (c) => c.desired === replicas + k && c.running === replicas + k && c.unassigned === 0, opts.serviceTimeoutMs, (counts) =>
      opts.onProgress?.({ service: name, phase: 'starting', k, counts }),
    );
    if (!started) throw new MoveTimeout(`${name}: the ${k} new task(s) did not run within ${opts.serviceTimeoutMs / 1000} s (timed out)`);
  } catch (err) {
    throw await restore(err);
  }
  opts.onProgress?.({ service: name, phase: 'scale-down', k });
  const done = await settle(opts.serviceTimeoutMs, (counts) => opts.onProgress?.({ service: name, phase: 'stopping', k, counts }));
  if (done.kept) throw new BackOff(`${name}: replicas changed to ${done.replicas} by someone else during the move; kept them and removed our label`);
}

/** Restores after an error mid-move (same version checks as the scale-down) and says how it went; never throws. */
async function restoreNote(settle: (stopWaitMs: number) => Promise<Settled>): Promise<string> {
  try {
    const s = await settle(0);
    return s.kept ? `kept the ${s.replicas} replicas someone else set and removed our label` : `restored ${s.replicas} replicas`;
  } catch (err) {
    if (err instanceof BackOff) return err.message;
    return `could not restore (${(err as Error).message}): the intent label stays and the acting agent finishes the move`;
  }
}
