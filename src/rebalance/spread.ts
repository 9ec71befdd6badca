// The most even target the bounds allow: water-filling, first across the spread groups of each
// placement preference (nested: the next descriptor splits each group), then across the nodes.
// Remainders go to whoever already holds more, so nothing moves that need not.
import type { Cluster } from './cluster.js';
import { spreadValue } from './constraints.js';

/**
 * Targets t[i] with lo[i] <= t[i] <= hi[i], summing to total, as even as possible (t = clamp(level)).
 * The +1 remainders go to the highest current first, then the lowest position. Null when total
 * does not fit between sum(lo) and sum(hi).
 */
export function fillEvenly(lo: number[], hi: number[], current: number[], total: number): number[] | null {
  const n = lo.length;
  let sumLo = 0;
  let sumHi = 0;
  let top = 0;
  for (let i = 0; i < n; i++) {
    sumLo += lo[i]!;
    sumHi += hi[i]!;
    top = Math.max(top, hi[i]!);
  }
  if (total < sumLo || total > sumHi) return null;
  const filled = (level: number) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += Math.min(hi[i]!, Math.max(lo[i]!, level));
    return s;
  };
  // Largest level whose fill does not exceed total.
  let low = 0;
  let high = top;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (filled(mid) <= total) low = mid;
    else high = mid - 1;
  }
  const level = low;
  const t = lo.map((l, i) => Math.min(hi[i]!, Math.max(l, level)));
  let remainder = total - filled(level);
  if (remainder === 0) return t;
  // Candidates can take one more at level+1; bucket them by current, highest first.
  const buckets = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    if (lo[i]! <= level && level < hi[i]!) {
      const b = buckets.get(current[i]!);
      if (b) b.push(i);
      else buckets.set(current[i]!, [i]);
    }
  }
  for (const c of [...buckets.keys()].sort((a, b) => b - a)) {
    for (const i of buckets.get(c)!) {
      if (remainder === 0) return t;
      t[i]!++;
      remainder--;
    }
  }
  return t;
}

/** Spread groups: per level, each node's group (ids in sorted label-value order). */
export interface SpreadLevels {
  descriptors: string[];
  group: Int32Array[];
  values: string[][];
  /** Per level: each node's group path (values up to that level) as a number, 0 … paths[d]-1. */
  path: Int32Array[];
  paths: number[];
  /** Per level: the path one level up of each path (all 0 at the first level). */
  parent: Int32Array[];
}

export type SpreadCache = Map<string, SpreadLevels>;

/** Nodes grouped by each descriptor's value; a missing label is the group "" (as swarmkit's tree). */
export function spreadLevels(descriptors: string[], cluster: Cluster, cache: SpreadCache): SpreadLevels {
  const key = JSON.stringify(descriptors);
  const cached = cache.get(key);
  if (cached) return cached;
  const levels: SpreadLevels = { descriptors: [], group: [], values: [], path: [], paths: [], parent: [] };
  for (const d of descriptors) {
    const raw = cluster.nodes.map((node) => spreadValue(d, node));
    if (raw[0] === null || raw.length === 0) continue; // not a label descriptor: swarmkit skips it
    const values = [...new Set(raw as string[])].sort();
    const id = new Map(values.map((v, i) => [v, i]));
    levels.descriptors.push(d);
    levels.values.push(values);
    const group = Int32Array.from(raw, (v) => id.get(v as string)!);
    levels.group.push(group);
    // Number the (parent path, value) pairs met: the path of each node at this level.
    const up = levels.path.at(-1);
    const seen = new Map<number, number>();
    const parent: number[] = [];
    const path = Int32Array.from(group, (g, i) => {
      const from = up ? up[i]! : 0;
      const k = from * values.length + g;
      let p = seen.get(k);
      if (p === undefined) {
        seen.set(k, (p = seen.size));
        parent.push(from);
      }
      return p;
    });
    levels.path.push(path);
    levels.paths.push(seen.size);
    levels.parent.push(Int32Array.from(parent));
  }
  cache.set(key, levels);
  return levels;
}

function sumOver(members: number[], a: ArrayLike<number>): number {
  let s = 0;
  for (const i of members) s += a[i]!;
  return s;
}

/** The target per node (indexed like cluster.nodes); null when the replicas do not fit the bounds. */
export function spreadTarget(
  levels: SpreadLevels,
  lo: ArrayLike<number>,
  hi: ArrayLike<number>,
  current: ArrayLike<number>,
  total: number,
): Int32Array | null {
  const target = new Int32Array(lo.length);
  const members: number[] = [];
  for (let i = 0; i < lo.length; i++) if (hi[i]! > 0) members.push(i);
  const place = (nodes: number[], depth: number, want: number): boolean => {
    if (depth === levels.group.length) {
      const t = fillEvenly(
        nodes.map((i) => lo[i]!),
        nodes.map((i) => hi[i]!),
        nodes.map((i) => current[i]!),
        want,
      );
      if (!t) return false;
      nodes.forEach((i, k) => (target[i] = t[k]!));
      return true;
    }
    const byGroup = new Map<number, number[]>();
    for (const i of nodes) {
      const g = levels.group[depth]![i]!;
      const list = byGroup.get(g);
      if (list) list.push(i);
      else byGroup.set(g, [i]);
    }
    const groups = [...byGroup.keys()].sort((a, b) => a - b).map((g) => byGroup.get(g)!);
    const t = fillEvenly(
      groups.map((g) => sumOver(g, lo)),
      groups.map((g) => sumOver(g, hi)),
      groups.map((g) => sumOver(g, current)),
      want,
    );
    return t !== null && groups.every((g, k) => place(g, depth + 1, t[k]!));
  };
  return place(members, 0, total) ? target : null;
}

/**
 * True when no task can move to make things more even: in every group (spread levels, then nodes)
 * no member that may give holds two more than a member that may take. Then spreadTarget returns
 * the current placement unchanged; this answers without building it (most services are balanced).
 */
export function isBalanced(
  levels: SpreadLevels,
  lo: ArrayLike<number>,
  hi: ArrayLike<number>,
  current: ArrayLike<number>,
): boolean {
  const depth = levels.path.length;
  for (let d = 0; d < depth; d++) {
    const path = levels.path[d]!;
    const size = levels.paths[d]!;
    const l = scratch(0, size);
    const h = scratch(1, size);
    const c = scratch(2, size);
    for (let i = 0; i < current.length; i++) {
      l[path[i]!] += lo[i]!;
      h[path[i]!] += hi[i]!;
      c[path[i]!] += current[i]!;
    }
    const parents = d === 0 ? 1 : levels.paths[d - 1]!;
    if (!evenWithin(l, h, c, d === 0 ? null : levels.parent[d]!, parents)) return false;
  }
  return evenWithin(lo, hi, current, depth > 0 ? levels.path[depth - 1]! : null, depth > 0 ? levels.paths[depth - 1]! : 1);
}

// Buffers isBalanced and evenWithin reuse: they run for every service (most are balanced), and
// fresh arrays each time were a good part of the planner's garbage. Pure: each call clears what it uses.
const buffers: Float64Array[] = [];

function scratch(slot: number, size: number, fill = 0): Float64Array {
  let b = buffers[slot];
  if (!b || b.length < size) b = buffers[slot] = new Float64Array(Math.max(size, 2 * (b?.length ?? 0)));
  const view = b.subarray(0, size);
  view.fill(fill);
  return view;
}

/** Within each parent group: no member that may give holds two more than a member that may take. */
function evenWithin(
  lo: ArrayLike<number>,
  hi: ArrayLike<number>,
  current: ArrayLike<number>,
  parentOf: Int32Array | null,
  parents: number,
): boolean {
  const give = scratch(3, parents, -Infinity);
  const take = scratch(4, parents, Infinity);
  for (let m = 0; m < current.length; m++) {
    const c = current[m]!;
    const p = parentOf ? parentOf[m]! : 0;
    if (c > lo[m]! && c > give[p]!) give[p] = c;
    if (c < hi[m]! && c < take[p]!) take[p] = c;
  }
  for (let p = 0; p < parents; p++) if (give[p]! - take[p]! > 1) return false;
  return true;
}

/**
 * How uneven a placement is, level by level: the sum of squared group totals at each spread level,
 * then of the node counts. Compare lexicographically; smaller is more even.
 */
export function unevenness(levels: SpreadLevels, counts: ArrayLike<number>): number[] {
  const score: number[] = [];
  for (let depth = 1; depth <= levels.group.length; depth++) {
    const totals = new Map<string, number>();
    for (let i = 0; i < counts.length; i++) {
      if (!counts[i]) continue;
      const path = levels.group.slice(0, depth).map((g) => g[i]).join('/');
      totals.set(path, (totals.get(path) ?? 0) + counts[i]!);
    }
    let s = 0;
    for (const v of totals.values()) s += v * v;
    score.push(s);
  }
  let s = 0;
  for (let i = 0; i < counts.length; i++) s += counts[i]! * counts[i]!;
  score.push(s);
  return score;
}

/** -1, 0 or 1, comparing unevenness scores lexicographically. */
export function compareUnevenness(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}
