// Placements as counts per node: by node index inside the planner, by node ID in the plan.
import type { Cluster } from './cluster.js';
import type { Move, Placement } from './types.js';

export function toPlacement(counts: ArrayLike<number>, cluster: Cluster): Placement {
  const p: Placement = {};
  for (let i = 0; i < counts.length; i++) if (counts[i]! > 0) p[cluster.nodes[i]!.id] = counts[i]!;
  return p;
}

export function toCounts(p: Placement, nodeIndex: Map<string, number>, size: number): Int32Array | null {
  const counts = new Int32Array(size);
  for (const [id, n] of Object.entries(p)) {
    const i = nodeIndex.get(id);
    if (i === undefined) return null;
    counts[i] = n;
  }
  return counts;
}

export function samePlacement(a: Placement, b: Placement): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) if ((a[k] ?? 0) !== (b[k] ?? 0)) return false;
  return true;
}

/** Tasks that must move to get from a to b: the sum of the increases. */
export function distance(a: Placement, b: Placement): number {
  let d = 0;
  for (const [k, n] of Object.entries(b)) d += Math.max(0, n - (a[k] ?? 0));
  return d;
}

/** Pairs nodes losing tasks with nodes gaining them, both in node ID order. */
export function movesBetween(before: Placement, after: Placement): Move[] {
  const ids = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const give = ids.map((id) => ({ id, n: (before[id] ?? 0) - (after[id] ?? 0) })).filter((x) => x.n > 0);
  const take = ids.map((id) => ({ id, n: (after[id] ?? 0) - (before[id] ?? 0) })).filter((x) => x.n > 0);
  const moves: Move[] = [];
  let g = 0;
  let t = 0;
  while (g < give.length && t < take.length) {
    const count = Math.min(give[g]!.n, take[t]!.n);
    moves.push({ from: give[g]!.id, to: take[t]!.id, count });
    give[g]!.n -= count;
    take[t]!.n -= count;
    if (give[g]!.n === 0) g++;
    if (take[t]!.n === 0) t++;
  }
  return moves;
}
