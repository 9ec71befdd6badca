// Carries out a rebalance plan on a live swarm: for each service, scale up by k, wait until the new
// tasks run, scale down by k, so the service never runs below its desired replicas. The plan comes
// from the same pure planner the dry run prints; after each step the service is planned again.
import type { Clock } from '../adapters/clock.js';
import { OutOfSequenceError, type DockerClient } from '../adapters/docker.js';
import type { Logger } from '../log/logger.js';
import { planRebalanceInSlices, type ServicePlan } from '../rebalance/index.js';
import type { Placement } from '../rebalance/types.js';
import { INTENT_LABEL, readIntent, withIntent, withoutIntent, withReplicas, type Intent } from './intent.js';
import { waitForTasks, type TaskCounts } from './service-watch.js';

export interface ExecOptions {
  serviceTimeoutMs: number;
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

export interface ServiceOutcome {
  service: string;
  serviceId: string;
  before: Placement;
  after: Placement;
  /** Tasks moved (k summed over the steps done). */
  moved: number;
  /** Set when the service was left before reaching the plan: a coded reason. */
  error?: string;
  code?: 'WDG-REBALANCE-003' | 'WDG-REBALANCE-004' | 'WDG-REBALANCE-005';
}

class BackOff extends Error {}

const MAX_STEPS = 20;

export async function moveService(docker: DockerClient, clock: Clock, log: Logger, plan: ServicePlan, opts: ExecOptions): Promise<ServiceOutcome> {
  const outcome: ServiceOutcome = { service: plan.serviceName, serviceId: plan.serviceId, before: plan.before, after: plan.before, moved: 0 };
  let current = plan;
  try {
    for (let i = 0; i < MAX_STEPS && !current.skipped && current.steps.length; i++) {
      const step = current.steps[0];
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
    const code = err instanceof BackOff ? 'WDG-REBALANCE-004' : /timed out/.test((err as Error).message) ? 'WDG-REBALANCE-005' : 'WDG-REBALANCE-003';
    return { ...outcome, error: (err as Error).message, code };
  }
}

async function scaleStep(docker: DockerClient, clock: Clock, log: Logger, plan: ServicePlan, k: number, opts: ExecOptions): Promise<void> {
  const name = plan.serviceName;
  const svc = await docker.inspectService(plan.serviceId);
  const replicas = svc.Spec?.Mode?.Replicated?.Replicas;
  if (replicas !== plan.replicas) throw new BackOff(`${name}: replicas changed to ${replicas} since the plan (someone else is changing it); left alone`);
  if (readIntent(svc.Spec?.Labels)) throw new BackOff(`${name}: another rebalance is under way (label ${INTENT_LABEL}); left alone`);
  const intent: Intent = { planId: opts.planId, replicas, k, startedAt: new Date(clock.now()).toISOString(), by: opts.by };

  opts.onProgress?.({ service: name, phase: 'scale-up', k });
  const up = { ...withReplicas(svc.Spec, replicas + k), Labels: withIntent(svc.Spec.Labels, intent, svc.PreviousSpec) };
  await write(docker, name, plan.serviceId, svc.Version.Index, up);
  log.debug('scaled up', { service: name, replicas: replicas + k, planId: opts.planId });

  const started = await waitForTasks(docker, clock, plan.serviceId, (c) => c.desired === replicas + k && c.running === replicas + k && c.unassigned === 0, opts.serviceTimeoutMs, (counts) =>
    opts.onProgress?.({ service: name, phase: 'starting', k, counts }),
  );
  if (!started) {
    opts.onProgress?.({ service: name, phase: 'restoring', k });
    await finishIntent(docker, clock, log, plan.serviceId, opts.serviceTimeoutMs, false);
    throw new Error(`${name}: the ${k} new task(s) did not run within ${opts.serviceTimeoutMs / 1000} s (timed out); restored ${replicas} replicas`);
  }
  await finishIntent(docker, clock, log, plan.serviceId, opts.serviceTimeoutMs, true, (counts) => opts.onProgress?.({ service: name, phase: 'stopping', k, counts }));
}

/**
 * Scales a service that carries our intent back to its original replicas and removes the intent.
 * Used after a successful scale-up, on timeout, and by an agent that finds an intent left by a crash.
 */
export async function finishIntent(
  docker: DockerClient,
  clock: Clock,
  log: Logger,
  serviceId: string,
  timeoutMs: number,
  waitForStop = true,
  onPoll?: (c: TaskCounts) => void,
): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const svc = await docker.inspectService(serviceId);
    const intent = readIntent(svc.Spec?.Labels);
    if (!intent) throw new BackOff(`${svc.Spec?.Name}: our rebalance label is gone (someone else deployed the service); left alone`);
    const down = { ...withReplicas(svc.Spec, intent.replicas), Labels: withoutIntent(svc.Spec.Labels) };
    try {
      await docker.updateService(serviceId, svc.Version.Index, down);
    } catch (err) {
      if (err instanceof OutOfSequenceError) continue; // re-read and decide again
      throw err;
    }
    log.debug('scaled down', { service: svc.Spec?.Name, replicas: intent.replicas });
    if (!waitForStop) return;
    const done = await waitForTasks(docker, clock, serviceId, (c) => c.desired === intent.replicas && c.running === intent.replicas && c.stopping === 0, timeoutMs, onPoll);
    if (!done) throw new Error(`${svc.Spec?.Name}: the extra task(s) did not stop within ${timeoutMs / 1000} s (timed out)`);
    return;
  }
  throw new BackOff(`service ${serviceId}: kept changing under us (update out of sequence three times); left alone`);
}

async function write(docker: DockerClient, name: string, id: string, version: number, spec: unknown): Promise<void> {
  try {
    await docker.updateService(id, version, spec);
  } catch (err) {
    // Someone wrote in between: never overwrite their change; the next run plans again.
    if (err instanceof OutOfSequenceError) throw new BackOff(`${name}: update out of sequence (changed by someone else); left alone`);
    throw err;
  }
}
