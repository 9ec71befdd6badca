// Each kind of incident from the evidence an operator would see for it.
import { describe, expect, it } from 'vitest';
import { Correlator, DEFAULT_CORRELATOR_OPTIONS } from './correlator.js';
import { at, feed, gossip, lost, move, reconnects, registered, sig, state } from './scenario.fixture.js';

describe('daemon restart', () => {
  it('is a daemon-restart of the node, not a partition, with its session failures inside', () => {
    const c = new Correlator();
    feed(c, [
      sig('node3', 0, 'daemon-stopping'),
      ...lost('node3', 0.2, 'Unavailable'),
      gossip('node1', 1),
      sig('node3', 1.5, 'daemon-stopped'),
      sig('node3', 3, 'daemon-started'),
      sig('node3', 3.2, 'session-new-manager'),
      registered('node1', 'node3', 3.6),
    ]);
    c.tick(at(3.6) + 60_000);
    const all = c.incidents();
    expect(all.map((i) => [i.kind, i.nodes])).toEqual([['daemon-restart', ['node3']]]);
    expect(all[0]!.start).toBe(at(0));
    expect(all[0]!.end).toBe(at(3.6));
    expect(all[0]!.summary).toBe('The Docker daemon on node3 stopped at 11:20:00 and started again at 11:20:03');
  });

  it('turns a session loss that came first into a daemon-restart when the stop follows', () => {
    const c = new Correlator();
    const changes = feed(c, [...lost('node3', 0, 'Unavailable'), sig('node3', 0.5, 'daemon-stopping'), sig('node3', 2, 'daemon-started')]);
    expect(changes.find((ch) => ch.previousKind === 'partition')?.incident.kind).toBe('daemon-restart');
    expect(c.incidents()).toHaveLength(1);
  });

  it("takes in the workers' lost sessions while a manager restarts", () => {
    const c = new Correlator();
    feed(c, [
      sig('node1', -300, 'raft-leader'), // node1 is a manager
      sig('node1', 0, 'daemon-stopping'),
      ...lost('node2', 2, 'Unavailable'),
      ...lost('node3', 2.5, 'Unavailable'),
      sig('node1', 4, 'daemon-started'),
    ]);
    const restarts = c.incidents().filter((i) => i.kind === 'daemon-restart');
    expect(restarts).toHaveLength(1);
    expect(restarts[0]!.nodes).toEqual(['node1', 'node2', 'node3']);
  });

  it("does not take in a worker's partition when the restarted node is a worker", () => {
    const c = new Correlator();
    feed(c, [sig('node4', 0, 'daemon-stopping'), ...lost('node5', 2), sig('node4', 4, 'daemon-started')]);
    expect(c.incidents().map((i) => [i.kind, i.nodes])).toEqual([
      ['daemon-restart', ['node4']],
      ['partition', ['node5']],
    ]);
  });

  it('a restart long after the cut is the repair, not the cause', () => {
    const c = new Correlator({ window: 90_000 });
    const obs = [state('node3', 0, 'ready', 'down'), ...lost('node3', 1)];
    for (let t = 10; t <= 200; t += 10) obs.push(...lost('node3', t, 'Unavailable'));
    obs.push(sig('node3', 205, 'daemon-stopping'), sig('node3', 207, 'daemon-started'), state('node3', 210, 'down', 'ready'));
    feed(c, obs);
    expect(c.incidents().map((i) => i.kind)).toEqual(['partition']);
  });
});

describe('host reboot', () => {
  it('a new boot id names the incident host-reboot, Down and moved tasks included', () => {
    const c = new Correlator();
    feed(c, [
      state('node3', 0, 'ready', 'down'),
      move('web', 'node3', 'node1', 1),
      { type: 'boot', time: at(60), node: 'node3', bootId: 'b2' },
      sig('node3', 62, 'daemon-started'),
      state('node3', 70, 'down', 'ready'),
    ]);
    c.tick(at(70) + 60_000);
    const [i] = c.incidents();
    expect(c.incidents()).toHaveLength(1);
    expect(i!.kind).toBe('host-reboot');
    expect(i!.end).toBe(at(70));
    expect(i!.summary).toBe('node3 rebooted (new boot seen at 11:21:00) and was marked Down at 11:20:00; 1 task of web moved to node1');
  });

  it('the same boot id seen again is not a reboot', () => {
    const c = new Correlator();
    feed(c, [{ type: 'boot', time: at(0), node: 'node3', bootId: 'b1' }]);
    c.tick(at(200));
    expect(feed(c, [{ type: 'boot', time: at(300), node: 'node3', bootId: 'b1' }])).toEqual([]);
    expect(c.incidents()).toHaveLength(1);
  });
});

describe('leader election', () => {
  // 3 managers (node1 leader, node2, node3) and 2 workers; node1 is cut off.
  const ids = ['node1', 'node2', 'node3', 'node4', 'node5'];
  const cutLeader = () => [
    ...['node2', 'node3', 'node4', 'node5'].map((n, k) => gossip(n, 2 + k * 0.1)),
    ...lost('node4', 5.3),
    ...lost('node5', 5.6),
    sig('node1', 10, 'raft-stepdown', { message: 'node1 stepped down to follower since quorum is not active' }),
    sig('node2', 11, 'raft-candidate'),
    sig('node2', 11.2, 'raft-leader'),
    sig('node3', 11.3, 'raft-leader-elected', { subject: '1f3c', subjectKind: 'raft-id' }),
    sig('node2', 11.4, 'dispatcher-started'),
    { type: 'leader-change' as const, time: at(11.5), from: 'node1', to: 'node2' },
    ...['node2', 'node3', 'node4', 'node5'].map((n) => state(n, 12, 'ready', 'unknown')),
    sig('node4', 12.5, 'session-failed', { errorClass: 'NoLeader' }),
    ...['node2', 'node3', 'node4', 'node5'].map((n, k) => registered('node2', n, 13 + k * 0.2)),
    ...['node2', 'node3', 'node4', 'node5'].map((n) => state(n, 15, 'unknown', 'ready')),
    ...lost('node1', 16),
    sig('node1', 20, 'raft-candidate'),
    state('node1', 38, 'unknown', 'down'),
    move('web', 'node1', 'node4', 38.5),
    move('web', 'node1', 'node5', 38.6),
    move('api', 'node1', 'node4', 38.7),
    sig('node1', 60, 'raft-follower'),
    state('node1', 65, 'down', 'ready'),
    registered('node2', 'node1', 65),
  ];

  it('cutting the leader of 3 managers + 2 workers is one leader-election incident', () => {
    const c = new Correlator({ clusterSize: 5 });
    feed(c, ids.map((n) => ({ type: 'node-name' as const, nodeId: `id-${n}`, node: n })));
    feed(c, cutLeader());
    c.tick(at(65) + 60_000);
    const all = c.incidents();
    expect(all).toHaveLength(1);
    const i = all[0]!;
    expect(i.kind).toBe('leader-election');
    expect([...i.nodes].sort()).toEqual(ids);
    expect(i.leader).toEqual({ from: 'node1', to: 'node2' });
    expect(i.markedDownAt).toBe(at(38));
    expect(i.tasksMoved.reduce((n, m) => n + m.count, 0)).toBe(3);
    expect(i.storm).toBe(true); // every node unknown at once: the rebalancer must hold
    expect(i.end).toBe(at(65));
    expect(i.summary).toContain('the leader moved from node1 to node2');
  });

  it('nodes going unknown together, with no raft lines seen, are one leader-election', () => {
    const c = new Correlator();
    feed(c, ['node2', 'node3', 'node4'].map((n, k) => state(n, k * 0.3, 'ready', 'unknown')));
    expect(c.incidents().map((i) => [i.kind, i.nodes])).toEqual([['leader-election', ['node3', 'node2', 'node4']]]);
  });

  it('one node going unknown is routine', () => {
    const c = new Correlator();
    feed(c, [state('node2', 0, 'ready', 'unknown'), state('node2', 2, 'unknown', 'ready')]);
    expect(c.incidents()).toEqual([]);
  });

  it('"no leader" session failures alone accuse no node', () => {
    const c = new Correlator();
    feed(c, [sig('node4', 0, 'session-failed', { errorClass: 'NoLeader' }), sig('node5', 0.2, 'session-failed', { errorClass: 'NoLeader' })]);
    expect(c.incidents()).toEqual([]);
  });
});

describe('flapping', () => {
  const blip = (node: string, t: number) => [...lost(node, t), registered('node1', node, t + 3)];

  it('three short losses within one incident make it flapping', () => {
    const c = new Correlator();
    const changes = feed(c, [...blip('node3', 0), ...blip('node3', 40), ...blip('node3', 80)]);
    expect(c.incidents().map((i) => [i.kind, i.flaps])).toEqual([['flapping', 3]]);
    expect(changes.some((ch) => ch.previousKind === 'partition' && ch.incident.kind === 'flapping')).toBe(true);
  });

  it('losses minutes apart: the third is flapping, a fourth reopens it', () => {
    const c = new Correlator();
    for (const t of [0, 180, 360]) {
      feed(c, blip('node3', t));
      c.tick(at(t + 3) + 60_000);
    }
    expect(c.incidents().map((i) => i.kind)).toEqual(['partition', 'partition', 'flapping']);
    const flappingId = c.incidents()[2]!.id;
    const again = feed(c, blip('node3', 540));
    expect(again[0]).toMatchObject({ change: 'reopened', incident: { id: flappingId, end: null } });
    expect(c.incidents()).toHaveLength(3);
  });

  it('losses that became Down are partitions, not flapping', () => {
    const c = new Correlator();
    feed(c, [...blip('node3', 0), ...lost('node3', 40), state('node3', 50, 'ready', 'down'), state('node3', 60, 'down', 'ready'), ...blip('node3', 80)]);
    expect(c.incidents().map((i) => i.kind)).toEqual(['partition']);
  });

  it('losses spread wider than flapWindow are not flapping', () => {
    const c = new Correlator({ flapWindow: 300_000 });
    for (const t of [0, 200, 400]) {
      feed(c, blip('node3', t));
      c.tick(at(t + 3) + 60_000);
    }
    expect(c.incidents().map((i) => i.kind)).toEqual(['partition', 'partition', 'partition']);
  });
});

describe('mass reconnect', () => {
  it('re-created tasks reconnecting to Redis join the partition', () => {
    const c = new Correlator();
    feed(c, [
      ...lost('node3', 0),
      state('node3', 12, 'ready', 'down'),
      ...['web', 'web', 'api', 'api', 'api', 'worker', 'worker', 'worker'].map((s, k) => move(s, 'node3', k % 2 ? 'node2' : 'node1', 12.5)),
      ...reconnects('api', 'API-REDIS-001', 25, 17, 4),
    ]);
    const all = c.incidents();
    expect(all).toHaveLength(1);
    expect(all[0]!.kind).toBe('partition');
    expect(all[0]!.reconnects).toEqual([{ service: 'api', code: 'API-REDIS-001', tasks: 25, start: at(17), end: at(21) }]);
    expect(all[0]!.summary).toBe(
      'node3 lost its manager session at 11:20:00 (DeadlineExceeded) and was marked Down at 11:20:12; 8 tasks of 3 services moved to node1/node2; 25 tasks reconnected to Redis (API-REDIS-001) within 4 s (ongoing)',
    );
  });

  it('with no node trouble it is mass-reconnect-only', () => {
    const c = new Correlator();
    feed(c, reconnects('api', 'API-ELASTIC-001', 6, 0, 10));
    c.tick(at(10) + 60_000);
    expect(c.incidents().map((i) => [i.kind, i.nodes, i.reconnects[0]?.tasks, i.end])).toEqual([['mass-reconnect-only', [], 6, at(10)]]);
    expect(c.incidents()[0]!.summary).toContain('6 tasks reconnected to Elasticsearch (API-ELASTIC-001) within 10 s');
  });

  it('node trouble that follows in the window names the real kind', () => {
    const c = new Correlator();
    feed(c, [...reconnects('api', 'API-REDIS-001', 6, 0, 2), state('node3', 5, 'ready', 'down')]);
    expect(c.incidents().map((i) => [i.kind, i.nodes])).toEqual([['partition', ['node3']]]);
  });

  it('a few reconnects are not an incident, until a config reload lowers the bar', () => {
    const c = new Correlator();
    feed(c, reconnects('api', 'API-REDIS-001', 4, 0, 10));
    expect(c.incidents()).toEqual([]);
    c.setOptions({ massReconnect: { minTasks: 3 } });
    feed(c, reconnects('web', 'WEB-REDIS-001', 3, 20, 10));
    expect(c.incidents().map((i) => [i.kind, i.reconnects[0]?.tasks])).toEqual([['mass-reconnect-only', 3]]);
  });

  it('counts each burst once, when it starts (massReconnects), also after a restore', () => {
    let counted = 0;
    const counters = { massReconnects: { inc: () => counted++ } };
    const c = new Correlator({}, counters);
    feed(c, reconnects('api', 'API-REDIS-001', 25, 0, 4));
    expect(counted).toBe(1);
    const restored = Correlator.fromState(c.toState(), {}, counters);
    feed(restored, [...reconnects('web', 'WEB-REDIS-001', 6, 10, 2), ...reconnects('api', 'API-REDIS-001', 5, 300, 2)]);
    expect(counted).toBe(3);
  });
});

describe('noise and storms', () => {
  it('gossip noise alone never opens an incident', () => {
    const c = new Correlator();
    feed(c, [
      gossip('node1', 0),
      gossip('node2', 1),
      sig('node1', 4, 'gossip-failed'),
      sig('node2', 4, 'networkdb-unhealthy'),
      sig('node1', 5, 'bulk-sync-failed'),
      sig('node1', 30, 'gossip-active'),
    ]);
    c.tick(at(200));
    expect(c.incidents()).toEqual([]);
  });

  it('gossip chatter after the last real evidence does not keep an incident open', () => {
    const c = new Correlator({ quiet: 60_000 });
    feed(c, [...lost('node3', 0), gossip('node1', 20), gossip('node2', 40), gossip('node1', 59)]);
    const ended = c.tick(at(0.001) + 60_000);
    expect(ended.map((ch) => [ch.change, ch.incident.end, ch.incident.evidence.length])).toEqual([['ended', at(0.001), 4]]);
  });

  it('more than half the nodes cut at once is one partition marked storm', () => {
    const c = new Correlator({ clusterSize: 5 });
    feed(c, [...lost('node3', 0), ...lost('node4', 1)]);
    expect(c.incidents()[0]!.storm).toBe(false);
    const changes = feed(c, lost('node5', 2));
    expect(c.incidents().map((i) => [i.kind, i.nodes, i.storm])).toEqual([['partition', ['node3', 'node4', 'node5'], true]]);
    expect(changes[0]!.incident.storm).toBe(true);
  });

  it('the share follows the cluster size as it changes', () => {
    const c = new Correlator({ clusterSize: 10 });
    feed(c, [...lost('node3', 0), ...lost('node4', 1), ...lost('node5', 2)]);
    expect(c.incidents()[0]!.storm).toBe(false);
    c.setClusterSize(5);
    feed(c, lost('node5', 3, 'Unavailable'));
    expect(c.incidents()[0]!.storm).toBe(true);
  });
});

describe('a node still Down', () => {
  it('keeps its partition open past quiet, and ends it downHold after the last evidence', () => {
    const c = new Correlator();
    feed(c, [...lost('node3', 0), state('node3', 5, 'ready', 'down')]);
    const { quiet, downHold } = DEFAULT_CORRELATOR_OPTIONS;
    expect(c.tick(at(5) + quiet)).toEqual([]);
    expect(c.tick(at(5) + downHold - 1).map((ch) => ch.change)).toEqual([]);
    expect(c.tick(at(5) + downHold).map((ch) => [ch.change, ch.incident.kind, ch.incident.end])).toEqual([['ended', 'partition', at(5)]]);
  });
});
