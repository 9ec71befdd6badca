// What the rebalancer writes into a service's own labels, so the swarm itself remembers it: an
// intent while a move is under way (crash-safe), and the spec `docker service rollback` would have
// gone back to before we touched it (a scale-up/down leaves the scaled-up spec as PreviousSpec).
import { INTENT_LABEL } from '../rebalance/index.js';

export { INTENT_LABEL };
export const PREVIOUS_SPEC_LABEL = 'swarm-watchdog.previous-spec';

export interface Intent {
  planId: string;
  /** Replicas before the move (what the service returns to). */
  replicas: number;
  k: number;
  startedAt: string;
  by: string;
}

type Labels = Record<string, string>;

export function readIntent(labels: Labels | null | undefined): Intent | undefined {
  const raw = labels?.[INTENT_LABEL];
  if (!raw) return undefined;
  try {
    const v = JSON.parse(raw) as Intent;
    return typeof v.replicas === 'number' && typeof v.k === 'number' ? v : undefined;
  } catch {
    return undefined;
  }
}

export function withIntent(labels: Labels | null | undefined, intent: Intent, previousSpec: unknown): Labels {
  const out: Labels = { ...(labels ?? {}), [INTENT_LABEL]: JSON.stringify(intent) };
  // A PreviousSpec that carries our intent is one of our own steps: the label already holds the real
  // one. Any other PreviousSpec is the last real deployment's (possibly newer than an old label).
  const prev = previousSpec as { Labels?: Labels } | undefined;
  if (prev && !prev.Labels?.[INTENT_LABEL]) {
    const { [PREVIOUS_SPEC_LABEL]: _, ...prevLabels } = prev.Labels ?? {}; // no nesting of older copies
    out[PREVIOUS_SPEC_LABEL] = Buffer.from(JSON.stringify({ ...prev, Labels: prevLabels })).toString('base64');
  }
  return out;
}

export function withoutIntent(labels: Labels | null | undefined): Labels {
  const { [INTENT_LABEL]: _, ...rest } = labels ?? {};
  return rest;
}

/** The spec to restore with `watchdog restore SERVICE`: the last real deployment before our moves. */
export function previousSpec(labels: Labels | null | undefined): Record<string, unknown> | undefined {
  const raw = labels?.[PREVIOUS_SPEC_LABEL];
  if (!raw) return undefined;
  try {
    return JSON.parse(Buffer.from(raw, 'base64').toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** A spec with other replicas, same everything else. */
export function withReplicas<T extends { Mode?: unknown }>(spec: T, replicas: number): T {
  return { ...spec, Mode: { Replicated: { Replicas: replicas } } };
}
