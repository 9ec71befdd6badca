// The correlator's state survives a restart (plain JSON in the state directory) and stays bounded.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SIGNAL_KINDS } from '../detect/signal-kinds.js';
import { Correlator, type CorrelatorState } from './correlator.js';
import { at as fixtureAt, fixtureASignals, NODE3_ID } from './fixture-a.fixture.js';
import { at, reconnects } from './scenario.fixture.js';
import type { NodeState, Observation } from './types.js';

/** Capture A with the manager's view and a Redis reconnect storm, in time order. */
function story(): Observation[] {
  const down = fixtureAt('01:44:33.500');
  const obs: Observation[] = [
    ...fixtureASignals().map((signal) => ({ type: 'signal' as const, signal })),
    { type: 'node-state', time: down, node: 'node3', nodeId: NODE3_ID, from: 'ready', to: 'down' },
    { type: 'task-move', time: down + 200, service: 'web', from: 'node3', to: 'node1' },
    { type: 'node-state', time: fixtureAt('01:45:02.100'), node: 'node3', nodeId: NODE3_ID, from: 'down', to: 'ready' },
    ...reconnects('api', 'API-REDIS-001', 12, 0, 4).map((o) => ({ ...o, time: (o as { time: number }).time - at(0) + down + 5_000 })),
  ];
  return obs.sort((a, b) => time(a) - time(b));
}

const time = (o: Observation) => (o.type === 'signal' ? o.signal.time : o.type === 'node-name' ? 0 : o.time);

describe('persistence', () => {
  it('a restart at any point gives the same incidents and the same changes as no restart', () => {
    const obs = story();
    const end = fixtureAt('01:45:02.100') + 60_000;
    const straight = new Correlator();
    const straightChanges = obs.map((o) => straight.add(o));
    straight.tick(end);

    fc.assert(
      fc.property(fc.integer({ min: 0, max: obs.length }), (cut) => {
        const before = new Correlator();
        obs.slice(0, cut).forEach((o) => before.add(o));
        const saved = JSON.parse(JSON.stringify(before.toState())) as CorrelatorState;
        const after = Correlator.fromState(saved);
        const changes = obs.slice(cut).map((o) => after.add(o));
        after.tick(end);
        expect(changes).toEqual(straightChanges.slice(cut));
        expect(after.incidents()).toEqual(straight.incidents());
        expect(after.codeCounts()).toEqual(straight.codeCounts());
      }),
      { numRuns: 60 },
    );
    expect(straight.incidents().map((i) => [i.kind, i.reconnects[0]?.tasks])).toEqual([['partition', 12]]);
  });

  it('refuses a state of another version, naming the fix', () => {
    const state = { ...new Correlator().toState(), version: 2 } as unknown as CorrelatorState;
    expect(() => Correlator.fromState(state)).toThrow(/version 2.*delete the incidents state file/);
  });
});

describe('bounded memory', () => {
  it('1e5 random observations: incidents, evidence and state stay within their caps', () => {
    const maxIncidents = 100;
    const c = new Correlator({ maxIncidents, clusterSize: 20 });
    const rnd = mulberry32(42);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const states: NodeState[] = ['ready', 'down', 'unknown', 'disconnected'];
    let t = at(0);
    const sizes: number[] = [];
    for (let k = 1; k <= 100_000; k++) {
      t += Math.floor(rnd() * 3_000);
      const node = `node${Math.floor(rnd() * 20)}`;
      const stranger = `host-${Math.floor(rnd() * 1e9)}`; // names and ids never seen twice
      const r = rnd();
      let o: Observation;
      if (r < 0.45) {
        const kind = pick(SIGNAL_KINDS);
        o = { type: 'signal', signal: { node, time: t, rule: kind, kind, message: `${kind} ${k}`, errorClass: pick(['DeadlineExceeded', 'Unavailable', 'NoLeader']), nodeId: `id-${node}`, subject: `id-${pick([node, stranger])}` } };
      } else if (r < 0.55) o = { type: 'node-state', time: t, node, nodeId: `id-${node}`, from: pick(states), to: pick(states) };
      else if (r < 0.62) o = { type: 'task-move', time: t, service: `svc-${Math.floor(rnd() * 1e6)}`, from: node, to: pick(['node1', 'node2', stranger]) };
      else if (r < 0.9) o = { type: 'app-code', time: t, node: pick([node, stranger]), service: `svc-${Math.floor(rnd() * 50)}`, taskId: `task-${k}`, code: `APP-X${Math.floor(rnd() * 5_000)}-001`, reconnect: rnd() < 0.5 };
      else if (r < 0.93) o = { type: 'boot', time: t, node, bootId: `boot-${k}` };
      else if (r < 0.95) o = { type: 'leader-change', time: t, from: node, to: pick(['node1', 'node2']) };
      else if (r < 0.97) o = { type: 'mass-reconnect', time: t, end: t + 3_000, service: `svc-${k}`, code: 'API-REDIS-001', tasks: 9, nodes: [node, stranger] };
      else o = { type: 'node-name', nodeId: `id-${stranger}`, node: stranger };
      c.add(o);
      if (k % 50 === 0) c.tick(t);
      if (k % 25_000 === 0) sizes.push(JSON.stringify(c.toState()).length);
    }
    const all = c.incidents();
    expect(all.length).toBeLessThanOrEqual(maxIncidents);
    for (const i of all) {
      expect(i.evidence.length).toBeLessThanOrEqual(50);
      expect(i.nodes.length).toBeLessThanOrEqual(200);
      expect(i.tasksMoved.length).toBeLessThanOrEqual(100);
      expect(i.servicesAffected.length).toBeLessThanOrEqual(100);
    }
    expect(c.codeCounts().codes.length).toBeLessThanOrEqual(1_000);
    // the state after 100 000 observations is no bigger than after 25 000, give or take the noise
    expect(Math.max(...sizes)).toBeLessThan(2_000_000);
    expect(sizes[3]!).toBeLessThan(sizes[0]! * 1.5);
  }, 60_000);
});

/** A small seeded PRNG: the same run every time. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}
