// What the rebalancer writes into a service's own labels, so the swarm itself remembers it: an
// intent while a move is under way (crash-safe), and the spec `docker service rollback` would have
// gone back to before we touched it (a scale-up/down leaves the scaled-up spec as PreviousSpec).
import { z } from 'zod';
import { readServiceSpec } from '../adapters/docker-api.js';
import type { ServiceSpec } from '../adapters/docker.js';
import { INTENT_LABEL } from '../rebalance/index.js';

export { INTENT_LABEL };
export const PREVIOUS_SPEC_LABEL = 'swarm-watchdog.previous-spec';

const intentSchema = z.object({
  planId: z.string(),
  /** Replicas before the move (what the service returns to). */
  replicas: z.number().int().min(0),
  k: z.number().int().min(1),
  startedAt: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO time'),
  by: z.string(),
});

export type Intent = z.infer<typeof intentSchema>;

type Labels = Record<string, string>;

/** Our intent on a service, or undefined (no label, or one we cannot read: never acted on). */
export function readIntent(labels: Labels | null | undefined): Intent | undefined {
  const raw = labels?.[INTENT_LABEL];
  if (!raw) return undefined;
  try {
    const r = intentSchema.safeParse(JSON.parse(raw));
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
}

/** The same move: an intent is written once per step, so these three name it. */
export const sameIntent = (a: Intent, b: Intent) => a.planId === b.planId && a.startedAt === b.startedAt && a.by === b.by;

/**
 * How long after writing its intent a run may still write the service (the wait for the new tasks,
 * then the scale-down or restore, a few Docker calls each bounded by docker.timeout). Past it the
 * run writes nothing more and leaves the label to whoever acts.
 */
export const writeWindowMs = (serviceTimeoutMs: number, dockerTimeoutMs: number) => serviceTimeoutMs + 8 * dockerTimeoutMs;

/** Clocks of two managers may differ this much; an intent's age is read on another node's clock. */
const CLOCK_SKEW_MS = 30_000;

/** An intent older than this belongs to no live run (its write window, its last write, clock skew). */
export const orphanAfterMs = (serviceTimeoutMs: number, dockerTimeoutMs: number) => writeWindowMs(serviceTimeoutMs, dockerTimeoutMs) + dockerTimeoutMs + CLOCK_SKEW_MS;

export function withIntent(labels: Labels | null | undefined, intent: Intent, previousSpec: ServiceSpec | undefined): Labels {
  const out: Labels = { ...(labels ?? {}), [INTENT_LABEL]: JSON.stringify(intent) };
  // A PreviousSpec that carries our intent is one of our own steps: the label already holds the real
  // one. Any other PreviousSpec is the last real deployment's (possibly newer than an old label).
  if (previousSpec && !previousSpec.Labels?.[INTENT_LABEL]) {
    const { [PREVIOUS_SPEC_LABEL]: _, ...prevLabels } = previousSpec.Labels ?? {}; // no nesting of older copies
    out[PREVIOUS_SPEC_LABEL] = Buffer.from(JSON.stringify({ ...previousSpec, Labels: prevLabels })).toString('base64');
  }
  return out;
}

export function withoutIntent(labels: Labels | null | undefined): Labels {
  const { [INTENT_LABEL]: _, ...rest } = labels ?? {};
  return rest;
}

/** The spec to restore with `watchdog restore SERVICE`: the last real deployment before our moves. */
export function previousSpec(labels: Labels | null | undefined): ServiceSpec | undefined {
  const raw = labels?.[PREVIOUS_SPEC_LABEL];
  if (!raw) return undefined;
  try {
    return readServiceSpec(JSON.parse(Buffer.from(raw, 'base64').toString('utf8')));
  } catch {
    return undefined;
  }
}

export const replicasOf = (spec: ServiceSpec): number | undefined => spec.Mode?.Replicated?.Replicas;

/** A spec with other replicas, same everything else. */
export function withReplicas(spec: ServiceSpec, replicas: number): ServiceSpec {
  return { ...spec, Mode: { Replicated: { Replicas: replicas } } };
}
