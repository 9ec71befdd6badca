import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { readCluster, stateRank } from './cluster.js';
import type { ClusterSnapshot } from './snapshot.js';

const fixture = (name: string): ClusterSnapshot =>
  JSON.parse(readFileSync(new URL(`../../test/fixtures/snapshots/${name}.json`, import.meta.url), 'utf8'));

describe('readCluster', () => {
  it('reads a real-shaped snapshot', () => {
    const cluster = readCluster(fixture('partition-healed'));
    expect(cluster.nodes.map((n) => n.hostname).sort()).toEqual(['node1', 'node2', 'node3']);
    const web = cluster.services.find((s) => s.name === 'web')!;
    expect(web).toMatchObject({ mode: 'replicated', replicas: 6, constraints: [], spread: [], maxReplicas: 0, updateState: null });
    expect(cluster.services.find((s) => s.name === 'agent')!.mode).toBe('global');
    expect(cluster.services.find((s) => s.name === 'migrate')!.mode).toBe('job');
    expect(cluster.tasksByService.get(web.id)!.length).toBe(8);
    expect(cluster.warnings).toEqual([]);
  });

  it('reads placement, reservations and host ports', () => {
    const cluster = readCluster(fixture('mixed-states'));
    const app = cluster.services.find((s) => s.name === 'app')!;
    expect(app).toMatchObject({ constraints: ['node.labels.tier == app', 'node.role!=manager'], nanoCpus: 5e8, memoryBytes: 268435456 });
    expect(cluster.services.find((s) => s.name === 'edge')!.hostPorts).toEqual(['tcp/8080']);
    const down = cluster.nodes.find((n) => n.hostname === 'wrk4')!;
    expect(down).toMatchObject({ state: 'down', nanoCpus: 0, memoryBytes: 0 });
    const bare = cluster.tasks.find((t) => t.slot === 0 && t.nodeId === null && t.state === 'shutdown');
    expect(bare).toBeDefined();
  });

  it('tolerates missing fields and skips entries without an ID', () => {
    const cluster = readCluster({
      nodes: [{ ID: 'a' }, {} as never, { ID: 'b', Spec: { Labels: null } }],
      services: [{ ID: 's', Spec: { Name: 'x', Mode: { Replicated: {} }, TaskTemplate: { Placement: { Constraints: null } } } }],
      tasks: [{ ID: 't' }],
    });
    expect(cluster.nodes.map((n) => n.id)).toEqual(['a', 'b']);
    expect(cluster.nodes[1]!.labels).toEqual({});
    expect(cluster.services[0]).toMatchObject({ name: 'x', replicas: 0, constraints: [] });
    expect(cluster.tasks[0]).toMatchObject({ serviceId: '', nodeId: null, slot: 0, state: '' });
    expect(cluster.warnings).toEqual(['snapshot.nodes[1]: no ID (ignored)']);
    expect(readCluster({} as ClusterSnapshot).nodes).toEqual([]);
  });

  it('makes display names unique when hostnames clash', () => {
    const cluster = readCluster({
      nodes: [
        { ID: 'aaaaaaaaaaaaaaaa', Description: { Hostname: 'web' } },
        { ID: 'bbbbbbbbbbbbbbbb', Description: { Hostname: 'web' } },
        { ID: 'cccccccccccccccc', Description: { Hostname: 'db' } },
        { ID: 'dddddddddddddddd' },
      ],
      services: [],
      tasks: [],
    });
    expect([...cluster.displayNames.values()]).toEqual(['web (aaaaaaaaaaaa)', 'web (bbbbbbbbbbbb)', 'db', '? (dddddddddddd)']);
  });

  it('orders task states as swarmkit does', () => {
    expect(stateRank('pending')).toBeLessThan(stateRank('assigned'));
    expect(stateRank('running')).toBeLessThan(stateRank('complete'));
    expect(stateRank('shutdown')).toBeLessThan(stateRank('remove'));
    expect(stateRank('whatever')).toBeGreaterThan(stateRank('orphaned'));
  });
});
