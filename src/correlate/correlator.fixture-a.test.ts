// The real capture A (worker node3 cut off for 35 s), as signals: one partition of node3, nothing else.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Signal } from '../detect/types.js';
import { Correlator } from './correlator.js';
import { at, fixtureASignals, NODE3_ID } from './fixture-a.fixture.js';
import type { IncidentChange, Observation } from './types.js';

const HEAL = at('01:45:01.929161528Z');

function replay(c: Correlator, obs: Observation[]): IncidentChange[] {
  return obs.flatMap((o) => c.add(o));
}

const signals = (list: Signal[]): Observation[] => list.map((signal) => ({ type: 'signal', signal }));

describe('capture A: node3 cut off from the manager', () => {
  it('is one partition of node3, from the first heartbeat failure to the re-registration', () => {
    const c = new Correlator();
    const changes = replay(c, signals(fixtureASignals()));

    expect(changes.filter((ch) => ch.change === 'opened')).toHaveLength(1);
    const [i] = c.incidents();
    expect(c.incidents()).toHaveLength(1);
    expect(i!.kind).toBe('partition');
    expect(i!.nodes).toEqual(['node3']);
    expect(i!.start).toBe(at('01:44:28.228708411Z'));
    expect(i!.errorClass).toBe('DeadlineExceeded');
    expect(i!.recoveredAt).toBe(HEAL);
    expect(i!.end).toBeNull(); // ongoing until the quiet period has passed
    expect(i!.storm).toBe(false);

    // the key lines: first and last of each rule, gossip noise from the other nodes attached
    const lines = i!.evidence.map((e) => `${e.node} ${e.rule} ${new Date(e.time).toISOString().slice(11, 23)}`);
    expect(lines).toContain('node3 heartbeat-failed 01:44:28.228');
    expect(lines).toContain('node3 session-failed 01:44:28.228');
    expect(lines).toContain('node3 session-failed 01:44:56.672');
    expect(lines).toContain('node1 worker-registered 01:45:01.929');
    expect(i!.evidence.some((e) => e.node === 'node2' && e.rule === 'gossip-suspect' && e.time === at('01:44:23.334014990Z'))).toBe(true);
    expect(i!.evidenceCount).toBe(fixtureASignals().length);
    expect(i!.summary).toBe('node3 lost its manager session at 01:44:28 (DeadlineExceeded) and was back at 01:45:01 (ongoing)');
  });

  it('ends a quiet period after the recovery, with the recovery moment as end', () => {
    const c = new Correlator({ quiet: 60_000 });
    replay(c, signals(fixtureASignals()));
    expect(c.tick(HEAL + 59_999)).toEqual([]);
    const ended = c.tick(HEAL + 60_000);
    expect(ended).toHaveLength(1);
    expect(ended[0]!.change).toBe('ended');
    expect(ended[0]!.incident.end).toBe(HEAL);
    expect(c.tick(HEAL + 600_000)).toEqual([]);
  });

  it('with the manager view added: marked Down, tasks moved, still one incident', () => {
    const c = new Correlator();
    const down = at('01:44:33.500');
    const cluster: Observation[] = [
      { type: 'node-state', time: down, node: 'node3', nodeId: NODE3_ID, from: 'ready', to: 'down' },
      { type: 'task-move', time: down + 200, service: 'web', taskSlot: 3, from: 'node3', to: 'node1' },
      { type: 'task-move', time: down + 250, service: 'web', taskSlot: 6, from: 'node3', to: 'node2' },
      { type: 'node-state', time: at('01:45:02.100'), node: 'node3', nodeId: NODE3_ID, from: 'down', to: 'ready' },
    ];
    const merged = [...signals(fixtureASignals()), ...cluster].sort((a, b) => timeOf(a) - timeOf(b));
    replay(c, merged);
    c.tick(at('01:45:02.100') + 60_000);

    expect(c.incidents()).toHaveLength(1);
    const i = c.incidents()[0]!;
    expect(i.kind).toBe('partition');
    expect(i.markedDownAt).toBe(down);
    expect(i.tasksMoved).toEqual([
      { service: 'web', from: 'node3', to: 'node1', count: 1 },
      { service: 'web', from: 'node3', to: 'node2', count: 1 },
    ]);
    expect(i.servicesAffected).toEqual(['web']);
    expect(i.end).toBe(at('01:45:02.100'));
    expect(i.summary).toBe(
      'node3 lost its manager session at 01:44:28 (DeadlineExceeded), was marked Down at 01:44:33 and was back at 01:45:02; 2 tasks of web moved to node1/node2',
    );
  });

  it("when node3's agent was cut off, its lines arriving after the heal join the same incident", () => {
    const c = new Correlator();
    const down = at('01:44:33.500');
    const [node3, others] = partition(fixtureASignals(), (s) => s.node === 'node3');
    replay(c, signals(others.filter((s) => s.time < down)));
    replay(c, [
      { type: 'node-state', time: down, node: 'node3', nodeId: NODE3_ID, from: 'ready', to: 'down' },
      { type: 'task-move', time: down + 200, service: 'web', from: 'node3', to: 'node1' },
    ]);
    expect(c.incidents().map((i) => [i.kind, i.nodes])).toEqual([['partition', ['node3']]]); // Down + moves, no word from node3
    replay(c, signals(others.filter((s) => s.time >= down)));
    replay(c, [{ type: 'node-state', time: at('01:45:02.100'), node: 'node3', nodeId: NODE3_ID, from: 'down', to: 'ready' }]);
    replay(c, signals(node3)); // the backlog, after the heal
    c.tick(at('01:45:02.100') + 60_000);

    expect(c.incidents()).toHaveLength(1);
    const i = c.incidents()[0]!;
    expect(i.start).toBe(at('01:44:28.228708411Z'));
    expect(i.errorClass).toBe('DeadlineExceeded');
    expect(i.end).toBe(at('01:45:02.100'));
  });

  it('any interleaving of the three daemons gives the same single partition', () => {
    const byNode = ['node1', 'node2', 'node3'].map((n) => fixtureASignals().filter((s) => s.node === n));
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 100, maxLength: 100 }), (schedule) => {
        const c = new Correlator();
        replay(c, signals(interleave(byNode, schedule)));
        c.tick(HEAL + 60_000);
        const all = c.incidents();
        expect(all.map((i) => [i.kind, i.nodes, i.start, i.end, i.storm])).toEqual([['partition', ['node3'], at('01:44:28.228708411Z'), HEAL, false]]);
      }),
      { numRuns: 200 },
    );
  });
});

function timeOf(o: Observation): number {
  return o.type === 'signal' ? o.signal.time : o.type === 'node-name' ? 0 : o.time;
}

function partition<T>(xs: T[], pred: (x: T) => boolean): [T[], T[]] {
  return [xs.filter(pred), xs.filter((x) => !pred(x))];
}

/** Merges streams keeping each one's order, taking from the stream the schedule names (or the next non-empty one). */
function interleave<T>(streams: T[][], schedule: number[]): T[] {
  const rest = streams.map((s) => [...s]);
  const out: T[] = [];
  let k = 0;
  while (rest.some((s) => s.length)) {
    let n = schedule[k++ % schedule.length]!;
    while (rest[n]!.length === 0) n = (n + 1) % rest.length;
    out.push(rest[n]!.shift()!);
  }
  return out;
}
