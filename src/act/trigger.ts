// When to rebalance by itself: after a partition (or a reboot, or a leader loss that moved tasks)
// once every node it touched has been Ready for the stabilisation window; never during a storm,
// never for a node that flapped in the last window. Pure.
import type { Incident } from '../correlate/types.js';
import type { ApiNode } from '../rebalance/snapshot.js';

export interface TriggerInput {
  now: number;
  incidents: Incident[];
  /** Node name → since when it has been Ready and Active without a break (absent: not Ready). */
  readySince: Record<string, number | undefined>;
  stabilizationMs: number;
  flapWindowMs: number;
  /** Incident ids already rebalanced for. */
  done: ReadonlySet<string>;
}

export type TriggerDecision = { act: true; incident: Incident } | { act: false; waiting?: { incident: string; reason: string } };

const HEALS = new Set(['partition', 'host-reboot', 'leader-election']);

export function shouldRebalance(input: TriggerInput): TriggerDecision {
  const { now, incidents } = input;
  const storm = incidents.some((i) => i.storm && i.end === null);
  let waiting: { incident: string; reason: string } | undefined;
  for (const i of incidents) {
    if (!HEALS.has(i.kind) || input.done.has(i.id)) continue;
    if (i.tasksMoved.length === 0 && i.markedDownAt === undefined) continue; // nothing was moved away
    if (storm || i.storm) {
      waiting = { incident: i.id, reason: 'storm gate: too many nodes unhealthy at once' };
      continue;
    }
    const flapped = i.nodes.find((n) => incidents.some((f) => f.kind === 'flapping' && f.nodes.includes(n) && now - f.start < input.flapWindowMs));
    if (flapped) {
      waiting = { incident: i.id, reason: `${flapped} flapped in the last ${Math.round(input.flapWindowMs / 60_000)} min` };
      continue;
    }
    const unstable = i.nodes.find((n) => {
      const since = input.readySince[n];
      return since === undefined || now - since < input.stabilizationMs;
    });
    if (unstable) {
      waiting = { incident: i.id, reason: `${unstable} not Ready for ${Math.round(input.stabilizationMs / 1000)} s yet` };
      continue;
    }
    return { act: true, incident: i };
  }
  return { act: false, waiting };
}

/** Tracks since when each node has been Ready and Active, from successive /nodes reads. */
export function updateReadySince(prev: Record<string, number | undefined>, nodes: ApiNode[], now: number): Record<string, number | undefined> {
  const next: Record<string, number | undefined> = {};
  for (const n of nodes) {
    const name = n.Description?.Hostname ?? n.ID;
    const ok = n.Status?.State === 'ready' && (n.Spec?.Availability ?? 'active') === 'active';
    next[name] = ok ? (prev[name] ?? now) : undefined;
  }
  return next;
}
