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
