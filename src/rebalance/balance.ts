// Is a service balanced already, and if it stays uneven, why. Most services are balanced: the quick
// check looks only at the nodes holding tasks and the first node that could take one.
import type { Cluster, ServiceFacts } from './cluster.js';
import { roomOn, type Bounds, type NodeFit, type NodeUsage } from './eligibility.js';
import { isBalanced, type SpreadLevels } from './spread.js';

/** Room is only ever limited by max replicas, reservations or host ports. */
export const hasLimits = (s: ServiceFacts) =>
  s.maxReplicas > 0 || s.nanoCpus > 0 || s.memoryBytes > 0 || s.hostPorts.length > 0;

export interface BalanceInput {
  cluster: Cluster;
  service: ServiceFacts;
  fit: NodeFit;
  levels: SpreadLevels;
  usage: NodeUsage;
  /** Running tasks per node (indexed like cluster.nodes). */
  current: Int32Array;
  /** Indexes of the nodes with running tasks. */
  holders: number[];
}

/**
 * Without spread preferences: true when no node that may give holds two more than a node that may
 * take (room counted unless `ignoreRoom`). Null with spread preferences: use the full check.
 */
export function quickBalanced(b: BalanceInput, ignoreRoom = false): boolean | null {
  if (b.levels.group.length > 0) return null;
  const { cluster, service, fit, usage, current } = b;
  const takes = (i: number) => fit.accepts[i] === 1 && (ignoreRoom || roomOn(service, cluster, usage, i, current[i]!) > 0);
  let give = 0;
  let take = Infinity;
  for (const i of b.holders) {
    give = Math.max(give, current[i]!);
    if (takes(i)) take = Math.min(take, current[i]!);
  }
  // Nodes without tasks hold 0: the first that can take one settles it (most often at once).
  if (give > 1) for (let i = 0; i < current.length && take > 0; i++) if (current[i] === 0 && takes(i)) take = 0;
  // No node can take a task (take stays Infinity): nothing can move.
  return give - take <= 1;
}

/** Why an unchanged placement is unchanged: balanced, or held by the placement rules. */
export function balancedReason(b: BalanceInput, bounds: () => Bounds): string {
  if (!hasLimits(b.service)) return 'already balanced';
  const quick = quickBalanced(b, true);
  if (quick === true) return 'already balanced';
  const { lo, hi } = bounds();
  if (quick === null) {
    const free = hi.map((h, i) => (b.fit.accepts[i] ? Math.max(h, b.current[i]! + b.service.replicas) : h));
    if (isBalanced(b.levels, lo, free, b.current)) return 'already balanced';
  }
  return hi.some((h, i) => b.fit.accepts[i] && h > b.current[i]!)
    ? 'as even as placement rules allow'
    : 'no eligible node can take a task';
}
