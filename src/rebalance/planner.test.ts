import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { planRebalance, planRebalanceInSlices } from './planner.js';
import { apiTask, buildSnapshot, type NodeDesc, type ServiceDesc } from './snapshot-builder.js';
import type { ClusterSnapshot } from './snapshot.js';
import type { Plan, ServicePlan } from './types.js';

const fixture = (name: string): ClusterSnapshot =>
  JSON.parse(readFileSync(new URL(`../../test/fixtures/snapshots/${name}.json`, import.meta.url), 'utf8'));

const three: NodeDesc[] = [{ hostname: 'node1' }, { hostname: 'node2' }, { hostname: 'node3' }];

function byName(plan: Plan, name: string): ServicePlan {
  return plan.services.find((s) => s.serviceName === name)!;
}
const hosts = (plan: Plan, p: Record<string, number>) =>
  Object.fromEntries(Object.entries(p).map(([id, n]) => [plan.hostnames[id], n]).sort());

describe('planRebalance on snapshots from the lab', () => {
  it('moves web 3/3/0 → 2/2/2 after a partition and leaves the rest alone, each with its reason', () => {
    const plan = planRebalance(fixture('partition-healed'));
    const web = byName(plan, 'web');
    expect(hosts(plan, web.before)).toEqual({ node1: 3, node2: 3 });
    expect(hosts(plan, web.after)).toEqual({ node1: 2, node2: 2, node3: 2 });
    expect(web.moves.reduce((n, m) => n + m.count, 0)).toBe(2);
    expect(web.steps).toHaveLength(1);
    expect(web.steps[0]).toMatchObject({ kind: 'scale', k: 2, replicas: 8, sure: true });
    expect(Object.fromEntries(plan.services.map((s) => [s.serviceName, s.skipped]))).toEqual({
      agent: 'global service',
      api: 'one replica (label swarm-watchdog.rebalance=true to include)',
      db: 'label swarm-watchdog.rebalance=false',
      migrate: 'job',
      web: null,
    });
    expect(plan.services.map((s) => s.serviceName)).toEqual(['agent', 'api', 'db', 'migrate', 'web']);
  });

  it('gives the reasons of a busy cluster: updates, pending, stopping, host ports', () => {
    const plan = planRebalance(fixture('mixed-states'));
    expect(Object.fromEntries(plan.services.map((s) => [s.serviceName, s.skipped]))).toEqual({
      app: 'not settled: 1 task stopping',
      edge: 'already balanced',
      'paused-update': 'update in progress (paused)',
      rolling: 'update in progress (updating)',
      ssd: null,
      starting: 'not settled: 1 task pending',
    });
    // ssd is labelled =true, so its two replicas count; only wrk1 and wrk5 have the engine label.
    expect(hosts(plan, byName(plan, 'ssd').after)).toEqual({ wrk1: 1, wrk5: 1 });
  });

  it('leaves a zone-spread service alone when Swarm would break its spread', () => {
    const plan = planRebalance(fixture('zone-spread'));
    expect(byName(plan, 'web').skipped).toBe('no scale sequence reaches the target');
    expect(byName(plan, 'cache').skipped).toBe('already balanced');
  });
});

describe('planRebalance', () => {
  const plan1 = (services: ServiceDesc[], nodes = three, extra: ReturnType<typeof apiTask>[] = []) =>
    planRebalance(buildSnapshot(nodes, services, extra));

  it('counts tasks on a paused node and may take from it, but adds nothing', () => {
    const nodes: NodeDesc[] = [...three, { hostname: 'node4', availability: 'pause' }];
    const keep = plan1([{ name: 'web', replicas: 6, running: { node1: 3, node2: 1, node4: 2 } }], nodes);
    expect(hosts(keep, keep.services[0]!.after)).toEqual({ node1: 2, node2: 1, node3: 1, node4: 2 });
    const take = plan1([{ name: 'web', replicas: 6, running: { node1: 1, node2: 1, node4: 4 } }], nodes);
    const after = hosts(take, take.services[0]!.after);
    expect(after.node4).toBe(2);
    expect([after.node1, after.node2, after.node3].sort()).toEqual([1, 1, 2]);
  });

  it('sees tasks on drained, down or no longer matching nodes as not settled', () => {
    const nodes: NodeDesc[] = [...three, { hostname: 'node4', availability: 'drain' }, { hostname: 'node5', state: 'down' }];
    expect(plan1([{ name: 'a', replicas: 3, running: { node1: 2, node4: 1 } }], nodes).services[0]!.skipped)
      .toBe('not settled: 1 task on unavailable nodes');
    expect(plan1([{ name: 'a', replicas: 3, running: { node1: 1, node5: 2 } }], nodes).services[0]!.skipped)
      .toBe('not settled: 2 tasks on unavailable nodes');
    expect(plan1([{ name: 'a', replicas: 3, constraints: ['node.hostname!=node1'], running: { node1: 3 } }]).services[0]!.skipped)
      .toBe('not settled: 3 tasks on unavailable nodes');
  });

  it('sees too few running replicas as not settled', () => {
    expect(plan1([{ name: 'a', replicas: 4, running: { node1: 3 } }]).services[0]!.skipped).toBe('not settled: 3 of 4 replicas running');
  });

  it('counts a task wanted but not running yet as pending', () => {
    const s: ServiceDesc = { name: 'a', replicas: 4, running: { node1: 3 } };
    const plan = plan1([s], three, [apiTask(s, 'node3', 4, 'assigned')]);
    expect(plan.services[0]!.skipped).toBe('not settled: 1 task pending');
  });

  it('does not move single replicas unless labelled, and not services labelled false', () => {
    expect(plan1([{ name: 'a', replicas: 1, running: { node1: 1 } }]).services[0]!.skipped).toMatch(/^one replica/);
    expect(plan1([{ name: 'a', replicas: 1, labels: { 'swarm-watchdog.rebalance': 'true' }, running: { node1: 1 } }]).services[0]!.skipped)
      .toBe('already balanced');
    expect(plan1([{ name: 'a', replicas: 6, labels: { 'swarm-watchdog.rebalance': 'False' }, running: { node1: 6 } }]).services[0]!.skipped)
      .toBe('label swarm-watchdog.rebalance=false');
    expect(plan1([{ name: 'a', replicas: 0 }]).services[0]!.skipped).toBe('no replicas');
    // 8 of 6 mid-move (scaled up, not yet down) looks balanced, but is a step, not the operator's count.
    const midMove = { name: 'a', replicas: 8, labels: { 'swarm-watchdog.intent': '{"replicas":6,"k":2}' }, running: { node1: 3, node2: 3, node3: 2 } };
    expect(plan1([midMove]).services[0]!.skipped).toMatch(/^a watchdog rebalance is under way/);
  });

  it('says why an uneven service stays: no room, or the rules', () => {
    const nodes: NodeDesc[] = [{ hostname: 'node1', cpus: 4 }, { hostname: 'node2', cpus: 1 }, { hostname: 'node3', cpus: 1 }];
    const full: ServiceDesc[] = [
      { name: 'a', replicas: 4, cpus: 1, running: { node1: 4 } },
      { name: 'b', replicas: 2, cpus: 1, running: { node2: 1, node3: 1 } },
    ];
    expect(byName(plan1(full, nodes), 'a').skipped).toBe('no eligible node can take a task');
    expect(plan1([{ name: 'a', replicas: 4, maxReplicas: 2, running: { node1: 2, node2: 2 } }], [three[0]!, three[1]!]).services[0]!.skipped)
      .toBe('already balanced');
    const tight: NodeDesc[] = [{ hostname: 'node1', cpus: 4 }, { hostname: 'node2', cpus: 2 }];
    expect(plan1([{ name: 'a', replicas: 5, cpus: 1, running: { node1: 3, node2: 2 } }], tight).services[0]!.skipped)
      .toBe('already balanced');
    const tighter: NodeDesc[] = [{ hostname: 'node1', cpus: 4 }, { hostname: 'node2', cpus: 1 }];
    expect(plan1([{ name: 'a', replicas: 5, cpus: 1, running: { node1: 4, node2: 1 } }], tighter).services[0]!.skipped)
      .toBe('no eligible node can take a task');
    const partly: NodeDesc[] = [{ hostname: 'node1', cpus: 4 }, { hostname: 'node2', cpus: 1 }, { hostname: 'node3', cpus: 8 }];
    expect(plan1([{ name: 'a', replicas: 6, cpus: 1, running: { node1: 3, node2: 1, node3: 2 } }], partly).services[0]!.skipped)
      .toBe('as even as placement rules allow');
  });

  it('does not hand the same free room to two services', () => {
    const nodes: NodeDesc[] = [{ hostname: 'node1', cpus: 8 }, { hostname: 'node2', cpus: 8 }, { hostname: 'node3', cpus: 1 }];
    const plan = plan1(
      [
        { name: 'a', replicas: 4, cpus: 1, running: { node1: 2, node2: 2 } },
        { name: 'b', replicas: 4, cpus: 1, running: { node1: 2, node2: 2 } },
      ],
      nodes,
    );
    const arrivals = plan.services.map((s) => hosts(plan, s.after).node3 ?? 0);
    expect(arrivals).toEqual([1, 0]);
    expect(byName(plan, 'b').skipped).toBe('as even as placement rules allow');
  });

  it('plans only the services asked for, by name or ID, and reports unknown ones', () => {
    const snapshot = buildSnapshot(three, [
      { name: 'a', replicas: 6, running: { node1: 6 } },
      { name: 'b', replicas: 6, running: { node1: 6 } },
    ]);
    const bId = snapshot.services[1]!.ID;
    const plan = planRebalance(snapshot, { services: [bId, 'nope', 'b'], now: 1_700_000_000_000 });
    expect(plan.services.map((s) => s.serviceName)).toEqual(['b']);
    expect(plan.notFound).toEqual(['nope']);
    expect(plan.at).toBe(1_700_000_000_000);
  });

  it('skips a service whose constraint swarmkit would not parse', () => {
    const plan = plan1([{ name: 'a', replicas: 2, constraints: ['node.labels.zone'], running: { node1: 2 } }]);
    expect(plan.services[0]!.skipped).toBe('placement constraint not understood: node.labels.zone');
  });

  it('is deterministic', () => {
    const snap = fixture('partition-healed');
    expect(planRebalance(snap)).toEqual(planRebalance(structuredClone(snap)));
  });

  it('in slices: the same plan, with turns for the event loop between services and during long step lists', async () => {
    const nodes = Array.from({ length: 12 }, (_, i) => ({ hostname: `n${i}` }));
    const snapshot = buildSnapshot(nodes, [
      // Two nodes came back empty: Swarm's +k would overfill one of them, so the plan goes one task at a time.
      { name: 'pool', replicas: 200, running: Object.fromEntries(nodes.slice(2).map((n) => [n.hostname, 20])) },
      ...Array.from({ length: 5 }, (_, i) => ({ name: `s${i}`, replicas: 6, running: { n2: 6 } })),
    ]);
    let turns = 0;
    const tick = () => {
      turns++;
      if (!done) setImmediate(tick);
    };
    let done = false;
    setImmediate(tick);
    const sliced = await planRebalanceInSlices(snapshot, {}, 0);
    done = true;
    expect(sliced).toEqual(planRebalance(snapshot));
    expect(sliced.services.find((s) => s.serviceName === 'pool')!.steps.length).toBeGreaterThan(20);
    // One turn before each of the 6 services, and one every 8 steps of the pool.
    expect(turns).toBeGreaterThanOrEqual(6 + 3);
  });
});
