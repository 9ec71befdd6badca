import { describe, expect, it } from 'vitest';
import { atSecond, partitionIncident } from './incident.fixture.js';
import { incidentTimeline, TASKS_LANE, trackOf, WATCHDOG_LANE } from './timeline.js';
import { tickStep, timelineSvg } from './timeline-svg.js';

describe('incident timeline', () => {
  it('puts each kind of evidence on its track: session, state, gossip, daemon, raft, tasks', () => {
    expect(['heartbeat-failed', 'session-failed', 'worker-registered'].map(trackOf)).toEqual(['session', 'session', 'session']);
    expect(['node-state', 'daemon-signal', 'raft-became-leader', 'gossip-suspect', 'networkdb-unhealthy', 'task-move', 'mass-reconnect', 'something-new'].map(trackOf))
      .toEqual(['state', 'daemon', 'raft', 'gossip', 'gossip', 'tasks', 'reconnect', 'other']);
  });

  it('one lane per node, the cut node first, then the burst and the watchdog lanes', () => {
    const notes = [
      { time: atSecond(13), code: 'WDG-SLACK-001', message: 'alert delivered' },
      { time: atSecond(80), code: 'WDG-REBALANCE-002', message: 'web rebalanced 3/3/0 → 2/2/2' },
      { time: atSecond(20), code: 'WDG-JOURNAL-001', message: 'not a timeline line' },
      { time: atSecond(-600), code: 'WDG-SLACK-001', message: 'an older incident' },
    ];
    const t = incidentTimeline(partitionIncident(), notes, atSecond(100));
    expect(t.lanes).toEqual(['node3', 'node1', 'node2', TASKS_LANE, WATCHDOG_LANE]);
    const watchdog = t.events.filter((e) => e.node === WATCHDOG_LANE);
    expect(watchdog.map((e) => [e.track, e.label])).toEqual([['alert', 'alert sent'], ['rebalance', 'rebalanced']]);
    expect(t.events.map((e) => e.time)).toEqual([...t.events.map((e) => e.time)].sort((a, b) => a - b));
  });

  it('shows the tasks leaving the cut node and arriving elsewhere, the Down span and the burst per code', () => {
    const t = incidentTimeline(partitionIncident(), [], atSecond(100));
    const tasks = t.events.filter((e) => e.track === 'tasks' && e.label.includes('web'));
    expect(tasks.map((e) => [e.node, e.label])).toEqual([['node3', '−2 web'], ['node1', '+2 web']]);
    expect(tasks[0]!.time).toBe(atSecond(14)); // when the first move was seen
    expect(t.events.filter((e) => e.label === 'task-move')).toEqual([]); // summed, not drawn twice
  });

  it('sums the moves of a service per node: one mark for what left, one per node it went to', () => {
    const i = partitionIncident({ tasksMoved: [{ service: 'web', from: 'node3', to: 'node1', count: 1 }, { service: 'web', from: 'node3', to: 'node2', count: 2 }] });
    i.evidence.push({ node: 'node1,node2', time: atSecond(21), rule: 'mass-reconnect', message: '6 tasks of api reconnected' });
    const t = incidentTimeline(i, [], atSecond(100));
    const tasks = t.events.filter((e) => e.track === 'tasks');
    expect(tasks.map((e) => [e.node, e.label])).toEqual([['node3', '−3 web'], ['node1', '+1 web'], ['node2', '+2 web']]);
    expect(tasks[0]!.detail).toMatch(/3 tasks of web left node3 \(1 to node1, 2 to node2\)/);
    expect(t.lanes).not.toContain('node1,node2'); // a burst's evidence goes on the lane of the bursts
    expect(t.events.find((e) => e.label === 'mass-reconnect')!.node).toBe(TASKS_LANE);
    const down = t.events.find((e) => e.label === 'Down')!;
    expect([down.node, down.time, down.end]).toEqual(['node3', atSecond(12), atSecond(45)]);
    const burst = t.events.find((e) => e.track === 'reconnect')!;
    expect(burst).toMatchObject({ node: TASKS_LANE, label: 'API-REDIS-001 ×6', time: atSecond(20), end: atSecond(23) });
  });

  it('an open incident is drawn up to now', () => {
    const t = incidentTimeline(partitionIncident({ end: null, recoveredAt: undefined }), [], atSecond(200));
    expect(t.end).toBeGreaterThan(atSecond(200));
    expect(t.events.find((e) => e.label === 'session lost')!.end).toBe(atSecond(200));
  });
});

describe('timeline SVG', () => {
  it('draws a focusable mark with its evidence line per event, and escapes what logs contain', () => {
    const incident = partitionIncident();
    incident.evidence.push({ node: 'node3', time: atSecond(30), rule: 'session-failed', message: '<script>alert(1)</script> & "x"' });
    const svg = timelineSvg(incidentTimeline(incident, [], atSecond(100)));
    expect(svg.match(/class="ev /g)).toHaveLength(incidentTimeline(incident, [], atSecond(100)).events.length);
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;');
    expect(svg).toMatch(/tabindex="0"[^>]*data-detail="[^"]*heartbeat to manager/);
  });

  it('picks a readable tick step for any span', () => {
    expect(tickStep(60_000)).toBe(5000);
    expect(tickStep(3_600_000)).toBe(300_000);
    expect(tickStep(10 * 86_400_000)).toBe(43_200_000);
  });
});
