import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { formatPlan, planToJson } from './format.js';
import { planRebalance } from './planner.js';
import { buildSnapshot } from './snapshot-builder.js';
import type { ClusterSnapshot } from './snapshot.js';

const fixture = (name: string): ClusterSnapshot =>
  JSON.parse(readFileSync(new URL(`../../test/fixtures/snapshots/${name}.json`, import.meta.url), 'utf8'));

describe('planToJson', () => {
  it('has exactly the documented shape, keyed by hostname', () => {
    const json = planToJson(planRebalance(fixture('partition-healed')));
    expect(JSON.stringify(json)).toBe(
      '{"dryRun":true,"services":[' +
        '{"service":"agent","before":{"node1":1,"node2":1,"node3":1},"after":{"node1":1,"node2":1,"node3":1},"moves":[],"skipped":"global service"},' +
        '{"service":"api","before":{"node2":1},"after":{"node2":1},"moves":[],"skipped":"one replica (label swarm-watchdog.rebalance=true to include)"},' +
        '{"service":"db","before":{"node1":2},"after":{"node1":2},"moves":[],"skipped":"label swarm-watchdog.rebalance=false"},' +
        '{"service":"migrate","before":{},"after":{},"moves":[],"skipped":"job"},' +
        '{"service":"web","before":{"node1":3,"node2":3},"after":{"node1":2,"node2":2,"node3":2},' +
        '"moves":[{"from":"node1","to":"node3","count":1},{"from":"node2","to":"node3","count":1}],"skipped":null}]}',
    );
  });

  it('takes dryRun as a parameter', () => {
    expect(planToJson(planRebalance({ nodes: [], services: [], tasks: [] }), false)).toEqual({ dryRun: false, services: [] });
  });
});

describe('formatPlan', () => {
  it('shows each moved service as a table with its moves and steps, then the services left alone', () => {
    const text = formatPlan(planRebalance(fixture('partition-healed')));
    expect(text).toContain('web (6 replicas): 2 tasks to move');
    expect(text).toMatch(/node1\s+3 → 2 \*/);
    expect(text).toMatch(/node3\s+0 → 2 \*/);
    expect(text).toContain('moves: node1 → node3 ×1, node2 → node3 ×1');
    expect(text).toContain('step 1: scale to 8, then back to 6 → node1 2, node2 2, node3 2');
    expect(text).toMatch(/Left alone:\n {2}agent\s+global service\n {2}api\s+one replica/);
    expect(text).not.toContain('re-plan');
  });

  it('flags steps Swarm may resolve otherwise, and says when nothing moves', () => {
    const zones = [
      { hostname: 'node1', labels: { zone: 'a' } },
      { hostname: 'node2', labels: { zone: 'a' } },
      { hostname: 'node3', labels: { zone: 'b' } },
    ];
    const snap = buildSnapshot(zones, [{ name: 'web', replicas: 6, spread: ['node.labels.zone'], slots: { node1: [1, 3, 6], node3: [2, 4, 5] } }]);
    expect(formatPlan(planRebalance(snap))).toContain('(Swarm may break a tie otherwise: check and re-plan)');
    const none = formatPlan(planRebalance(buildSnapshot(zones, []), { services: ['ghost'] }));
    expect(none).toBe('Nothing to move.\n\nNo such service: ghost\n');
  });
});

describe('formatPlan on a large cluster', () => {
  it('lists only the nodes that change and groups the services left alone by reason', () => {
    const hosts = Array.from({ length: 40 }, (_, i) => ({ hostname: `n${String(i).padStart(2, '0')}`, labels: {} }));
    // web: 39 nodes with one task, n39 empty and one node with two → one move to the empty node.
    const slots: Record<string, number[]> = {};
    for (let i = 0; i < 39; i++) slots[`n${String(i).padStart(2, '0')}`] = [i + 1];
    slots.n00!.push(40);
    const balanced = Array.from({ length: 20 }, (_, i) => ({ name: `ok${i}`, replicas: 1, slots: { n01: [1] } }));
    const text = formatPlan(planRebalance(buildSnapshot(hosts, [{ name: 'web', replicas: 40, slots }, ...balanced])));
    expect(text).toMatch(/n00\s+2 → 1 \*/);
    expect(text).toMatch(/n39\s+0 → 1 \*/);
    expect(text).not.toMatch(/\n {2}n05 /);
    expect(text).toContain('(38 other nodes unchanged)');
    expect(text).toMatch(/step 1: scale to \d+, then back to 40 → n00 1, n39 1 \(38 other nodes as before\)/);
    expect(text).toMatch(/Left alone:\n {2}20 services \(ok0, ok1, ok10, …\): one replica/);
    expect(text.split('\n').length).toBeLessThan(15);
  });
});

describe('formatPlan on a 10,000-replica pool', () => {
  it('groups the changed nodes by change and cuts the moves and steps short', () => {
    const hosts = Array.from({ length: 96 }, (_, i) => ({ hostname: `n${String(i).padStart(3, '0')}`, labels: {} }));
    // 80 nodes with 12, 16 empty: 960 replicas, 10 each after → 160 moves, one step each.
    const running = Object.fromEntries(hosts.slice(0, 80).map((h) => [h.hostname, 12]));
    const text = formatPlan(planRebalance(buildSnapshot(hosts, [{ name: 'pool', replicas: 960, running }])));
    expect(text).toMatch(/ {2}80 nodes\s+12 → 10 \*  \(n000 … n079\)/);
    expect(text).toMatch(/ {2}16 nodes\s+0 → 10 \*  \(n080 … n095\)/);
    expect(text).toMatch(/moves: .*, … \d+ more \(--json lists all\)/);
    expect(text).toMatch(/\n {2}… \d+ more steps, one scale-up and back each/);
    expect(text.split('\n').length).toBeLessThan(30);
  });
});
