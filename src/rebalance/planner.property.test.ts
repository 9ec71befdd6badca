import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { planRebalance, planTargets } from './planner.js';
import { stepsFor } from './steps.js';
import { buildSnapshot, type NodeDesc, type ServiceDesc } from './snapshot-builder.js';
import type { ClusterSnapshot } from './snapshot.js';
import type { Plan, Placement } from './types.js';

// Random clusters: up to 6 nodes in zones a/b/c or none, some paused/drained/down, services with
// zone constraints, max replicas per node, zone spread and CPU reservations, tasks placed at random
// on nodes that may keep them.

interface World {
  nodes: NodeDesc[];
  services: ServiceDesc[];
}

const zoneArb = fc.constantFrom('a', 'b', 'c', undefined);
const nodeArb = fc.record({
  zone: zoneArb,
  availability: fc.constantFrom('active', 'active', 'active', 'pause', 'drain') as fc.Arbitrary<NodeDesc['availability']>,
  state: fc.constantFrom('ready', 'ready', 'ready', 'ready', 'down') as fc.Arbitrary<NodeDesc['state']>,
  cpus: fc.integer({ min: 1, max: 8 }),
});
const serviceArb = fc.record({
  replicas: fc.integer({ min: 2, max: 9 }),
  constraint: fc.constantFrom(undefined, undefined, 'node.labels.zone==a', 'node.labels.zone!=b'),
  maxReplicas: fc.constantFrom(0, 0, 1, 2, 3),
  spread: fc.boolean(),
  cpus: fc.constantFrom(0, 0, 0.5, 1),
  picks: fc.array(fc.nat(), { minLength: 9, maxLength: 9 }),
});

function matches(constraint: string | undefined, n: NodeDesc): boolean {
  if (constraint === 'node.labels.zone==a') return n.labels?.zone === 'a';
  if (constraint === 'node.labels.zone!=b') return n.labels?.zone !== 'b';
  return true;
}
const mayKeep = (n: NodeDesc) => n.state === 'ready' && n.availability !== 'drain';
const accepts = (n: NodeDesc) => n.state === 'ready' && n.availability === 'active';

const worldArb: fc.Arbitrary<World> = fc
  .record({ nodes: fc.array(nodeArb, { minLength: 1, maxLength: 6 }), services: fc.array(serviceArb, { minLength: 1, maxLength: 4 }) })
  .map(({ nodes: raw, services: rawServices }) => {
    const nodes: NodeDesc[] = raw.map((n, i) => ({
      hostname: `node${i + 1}`,
      labels: n.zone ? { zone: n.zone } : ({} as Record<string, string>),
      availability: n.availability,
      state: n.state,
      cpus: n.cpus,
    }));
    const services = rawServices.map((s, j): ServiceDesc => {
      const homes = nodes.filter((n) => mayKeep(n) && matches(s.constraint, n));
      const running: Record<string, number> = {};
      // Place replicas on nodes that may keep them, within max replicas when possible; two in three
      // on the first such node, so that there is something to even out.
      for (let r = 0; r < s.replicas && homes.length > 0; r++) {
        const free = homes.filter((n) => !s.maxReplicas || (running[n.hostname] ?? 0) < s.maxReplicas);
        const pool = free.length > 0 ? free : homes;
        const pick = s.picks[r]!;
        const n = pool[(pick % 3 === 0 ? pick : 0) % pool.length]!;
        running[n.hostname] = (running[n.hostname] ?? 0) + 1;
      }
      return {
        name: `svc${j}`,
        replicas: s.replicas,
        ...(s.constraint ? { constraints: [s.constraint] } : {}),
        ...(s.maxReplicas ? { maxReplicas: s.maxReplicas } : {}),
        ...(s.spread ? { spread: ['node.labels.zone'] } : {}),
        ...(s.cpus ? { cpus: s.cpus } : {}),
        running,
      };
    });
    return { nodes, services };
  });

function hostPlacement(plan: Plan, p: Placement): Record<string, number> {
  return Object.fromEntries(Object.entries(p).map(([id, n]) => [plan.hostnames[id]!, n]));
}
const sum = (p: Record<string, number>) => Object.values(p).reduce((a, b) => a + b, 0);

/** Sum of squares of zone totals, then of node counts: lower is more even. */
function unevenness(p: Record<string, number>, nodes: NodeDesc[], spread: boolean): number[] {
  const zone = new Map<string, number>();
  let nodeSq = 0;
  for (const [host, n] of Object.entries(p)) {
    const z = nodes.find((x) => x.hostname === host)!.labels?.zone ?? '';
    zone.set(z, (zone.get(z) ?? 0) + n);
    nodeSq += n * n;
  }
  const zoneSq = [...zone.values()].reduce((a, n) => a + n * n, 0);
  return spread ? [zoneSq, nodeSq] : [nodeSq];
}
const lexLe = (a: number[], b: number[]) => {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return true;
};

describe('planRebalance properties', () => {
  it('keeps replicas, uses only eligible nodes, moves only what it must, never less even; deterministic', () => {
    fc.assert(
      fc.property(worldArb, fc.nat(), (world, seed) => {
        const snapshot = buildSnapshot(world.nodes, world.services);
        const plan = planRebalance(snapshot);
        check(world, plan, true);
        check(world, planTargets(snapshot), false);
        // The executor's stepsFor on the same snapshot agrees (first service: no earlier arrivals).
        const first = plan.services[0]!;
        expect(stepsFor(first, snapshot)).toEqual({ steps: first.steps, skipped: first.skipped });
        // Deterministic, whatever order the API lists things in.
        const shuffled: ClusterSnapshot = {
          nodes: rotate(snapshot.nodes, seed),
          services: rotate(snapshot.services, seed + 1),
          tasks: rotate(snapshot.tasks, seed + 2),
        };
        expect(planRebalance(shuffled)).toEqual(plan);
      }),
      { numRuns: 300 },
    );
  });

  it('targets the most even placement with the fewest moves (brute force, one service, no spread)', () => {
    fc.assert(
      fc.property(worldArb, (world) => {
        const service = { ...world.services[0]!, spread: undefined, cpus: undefined };
        const nodes = world.nodes.slice(0, 5);
        if (Object.keys(service.running ?? {}).some((h) => !nodes.some((n) => n.hostname === h))) return;
        const plan = planTargets(buildSnapshot(nodes, [service]));
        const sp = plan.services[0]!;
        if (sp.skipped !== null && sp.skipped !== 'already balanced') return;
        expect(sp.steps).toEqual([]);
        const before = nodes.map((n) => service.running?.[n.hostname] ?? 0);
        const lo = nodes.map((n, i) => (n.availability === 'pause' || accepts(n) ? 0 : before[i]!));
        const hi = nodes.map((n, i) =>
          !accepts(n) || !matches(service.constraints?.[0], n) ? before[i]! : Math.max(before[i]!, service.maxReplicas || service.replicas!),
        );
        let best = { sq: Infinity, moves: Infinity };
        const walk = (i: number, left: number, acc: number[]) => {
          if (i === nodes.length) {
            if (left !== 0) return;
            const sq = acc.reduce((x, n) => x + n * n, 0);
            const moves = acc.reduce((x, n, j) => x + Math.max(0, n - before[j]!), 0);
            if (sq < best.sq || (sq === best.sq && moves < best.moves)) best = { sq, moves };
            return;
          }
          for (let v = lo[i]!; v <= Math.min(hi[i]!, left); v++) walk(i + 1, left - v, [...acc, v]);
        };
        walk(0, service.replicas!, []);
        const after = nodes.map((n) => hostPlacement(plan, sp.after)[n.hostname] ?? 0);
        expect(after.reduce((x, n) => x + n * n, 0)).toBe(best.sq);
        expect(after.reduce((x, n, j) => x + Math.max(0, n - before[j]!), 0)).toBe(best.moves);
      }),
      { numRuns: 300 },
    );
  });
});


function check(world: World, plan: Plan, withSteps: boolean): void {
  const arrivalsCpu = new Map<string, number>();
  for (const sp of plan.services) {
    const desc = world.services.find((s) => s.name === sp.serviceName)!;
    const before = hostPlacement(plan, sp.before);
    const after = hostPlacement(plan, sp.after);
    expect(sum(after)).toBe(sum(before));
    if (sp.skipped !== null) {
      expect(after).toEqual(before);
      expect(sp.moves).toEqual([]);
      continue;
    }
    let gained = 0;
    for (const n of world.nodes) {
      const b = before[n.hostname] ?? 0;
      const a = after[n.hostname] ?? 0;
      if (a > b) {
        expect(accepts(n) && matches(desc.constraints?.[0], n)).toBe(true);
        if (desc.maxReplicas) expect(a).toBeLessThanOrEqual(desc.maxReplicas);
        arrivalsCpu.set(n.hostname, (arrivalsCpu.get(n.hostname) ?? 0) + (a - b) * (desc.cpus ?? 0));
        gained += a - b;
      }
      if (a < b) expect(n.availability).not.toBe('drain');
    }
    // Moves: exactly the increases, from losing to gaining nodes.
    const moved = sp.moves.reduce((x, m) => x + m.count, 0);
    expect(moved).toBe(gained);
    expect(moved).toBeGreaterThan(0);
    const flow: Record<string, number> = {};
    for (const m of sp.moves) {
      flow[plan.hostnames[m.from]!] = (flow[plan.hostnames[m.from]!] ?? 0) - m.count;
      flow[plan.hostnames[m.to]!] = (flow[plan.hostnames[m.to]!] ?? 0) + m.count;
    }
    for (const n of world.nodes) expect(flow[n.hostname] ?? 0).toBe((after[n.hostname] ?? 0) - (before[n.hostname] ?? 0));
    expect(lexLe(unevenness(after, world.nodes, !!desc.spread), unevenness(before, world.nodes, !!desc.spread))).toBe(true);
    // Steps end on the target, each keeping the replica count.
    if (!withSteps) continue;
    expect(sp.steps.length).toBeGreaterThan(0);
    expect(sp.steps.at(-1)!.after).toEqual(sp.after);
    for (const st of sp.steps) {
      expect(sum(st.after)).toBe(sp.replicas);
      expect(sum(st.during)).toBe(sp.replicas + st.k);
    }
  }
  // Room for arrivals: what was reserved plus what arrives fits every receiving node.
  for (const [host, cpu] of arrivalsCpu) {
    if (cpu === 0) continue;
    const node = world.nodes.find((n) => n.hostname === host)!;
    const held = world.services.reduce((x, s) => x + (s.running?.[host] ?? 0) * (s.cpus ?? 0), 0);
    expect(held + cpu).toBeLessThanOrEqual(node.cpus! + 1e-9);
  }
}

function rotate<T>(items: T[], by: number): T[] {
  if (items.length === 0) return items;
  const k = by % items.length;
  return [...items.slice(k), ...items.slice(0, k)].reverse();
}
