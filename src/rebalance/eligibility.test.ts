import { describe, it, expect } from 'vitest';
import { readCluster, type TaskFacts } from './cluster.js';
import { boundsFor, countsOnNode, holdsNode, isWanted, nodeFit, nodeUsage, roomOn, type FitCache, type NodeFit } from './eligibility.js';
import { apiTask, buildSnapshot, type NodeDesc, type ServiceDesc } from './snapshot-builder.js';

const task = (state: string, desiredState: string, nodeId: string | null = 'n'): TaskFacts => ({
  id: 't', serviceId: 's', nodeId, slot: 1, state, desiredState, nanoCpus: 0, memoryBytes: 0, hostPorts: [],
});

describe('which tasks count where', () => {
  it('holds a node from pending to running, unless pending and told to stop', () => {
    expect(holdsNode(task('running', 'running'))).toBe(true);
    expect(holdsNode(task('assigned', 'running'))).toBe(true);
    expect(holdsNode(task('running', 'shutdown'))).toBe(true);
    expect(holdsNode(task('pending', 'shutdown'))).toBe(false);
    expect(holdsNode(task('new', 'running'))).toBe(false);
    expect(holdsNode(task('shutdown', 'shutdown'))).toBe(false);
    expect(holdsNode(task('running', 'running', null))).toBe(false);
  });
  it('counts on a node only while wanted up to complete', () => {
    expect(countsOnNode(task('running', 'running'))).toBe(true);
    expect(countsOnNode(task('running', 'shutdown'))).toBe(false);
    expect(isWanted(task('failed', 'running'))).toBe(true);
    expect(isWanted(task('running', 'remove'))).toBe(false);
  });
});

function setup(nodes: NodeDesc[], services: ServiceDesc[], extra: ReturnType<typeof apiTask>[] = []) {
  const cluster = readCluster(buildSnapshot(nodes, services, extra));
  const at = (host: string) => cluster.nodes.findIndex((n) => n.hostname === host);
  const svc = (name: string) => cluster.services.find((s) => s.name === name)!;
  return { cluster, at, svc, usage: nodeUsage(cluster) };
}

describe('nodeUsage and roomOn', () => {
  it('subtracts every task holding the node, of every service', () => {
    const t = setup(
      [{ hostname: 'n1', cpus: 4, memoryGiB: 4 }],
      [{ name: 'a', replicas: 2, cpus: 1, memoryMiB: 1024, running: { n1: 2 } }, { name: 'b', replicas: 1, cpus: 0.5, running: { n1: 1 } }],
    );
    const i = t.at('n1');
    expect(t.usage.nanoCpus[i]).toBe(2.5e9);
    expect(t.usage.tasks[i]).toBe(3);
    // 1.5 CPUs left: one more of a (and memory allows 2).
    expect(roomOn(t.svc('a'), t.cluster, t.usage, i, 2)).toBe(1);
    expect(roomOn(t.svc('b'), t.cluster, t.usage, i, 1)).toBe(3);
  });
  it('limits by max replicas per node and by host ports', () => {
    const t = setup(
      [{ hostname: 'n1' }, { hostname: 'n2' }],
      [{ name: 'm', replicas: 3, maxReplicas: 2, running: { n1: 1 } }, { name: 'p', replicas: 1, hostPorts: [80], running: { n1: 1 } }, { name: 'q', replicas: 1, hostPorts: [80] }],
    );
    expect(roomOn(t.svc('m'), t.cluster, t.usage, t.at('n1'), 1)).toBe(1);
    expect(roomOn(t.svc('m'), t.cluster, t.usage, t.at('n2'), 0)).toBe(2);
    expect(roomOn(t.svc('q'), t.cluster, t.usage, t.at('n1'), 0)).toBe(0);
    expect(roomOn(t.svc('q'), t.cluster, t.usage, t.at('n2'), 0)).toBe(1);
  });
  it('has no room for reservations on a node that reports no resources', () => {
    const t = setup([{ hostname: 'n1', cpus: 0 }], [{ name: 'a', replicas: 1, cpus: 0.1 }]);
    expect(roomOn(t.svc('a'), t.cluster, t.usage, 0, 0)).toBe(0);
  });
});

describe('nodeFit and boundsFor', () => {
  const nodes: NodeDesc[] = [
    { hostname: 'act', labels: { tier: 'app' } },
    { hostname: 'pau', labels: { tier: 'app' }, availability: 'pause' },
    { hostname: 'dra', labels: { tier: 'app' }, availability: 'drain' },
    { hostname: 'dwn', labels: { tier: 'app' }, state: 'down' },
    { hostname: 'oth' },
  ];
  it('accepts on ready, active, matching nodes; keeps on paused ones too', () => {
    const t = setup(nodes, [{ name: 'a', replicas: 2, constraints: ['node.labels.tier==app'] }]);
    const fit = nodeFit(t.svc('a'), t.cluster, new Map()) as NodeFit;
    const on = (f: Uint8Array) => t.cluster.nodes.filter((_, i) => f[i]).map((n) => n.hostname).sort();
    expect(on(fit.accepts)).toEqual(['act']);
    expect(on(fit.keeps)).toEqual(['act', 'pau']);
    expect(on(fit.paused)).toEqual(['pau']);
  });
  it('shares verdicts between services with equal constraints and reports a bad one', () => {
    const t = setup(nodes, [
      { name: 'a', replicas: 2, constraints: ['node.labels.tier==app'] },
      { name: 'b', replicas: 2, constraints: ['node.labels.tier==app'] },
      { name: 'c', replicas: 2, constraints: ['tier=app'] },
    ]);
    const cache: FitCache = new Map();
    expect(nodeFit(t.svc('a'), t.cluster, cache)).toBe(nodeFit(t.svc('b'), t.cluster, cache));
    expect(nodeFit(t.svc('c'), t.cluster, cache)).toBe('tier=app');
  });
  it('lets paused nodes only lose tasks and accepting nodes grow by their room', () => {
    const t = setup(nodes, [{ name: 'a', replicas: 3, maxReplicas: 2, running: { act: 1, pau: 2 } }]);
    const fit = nodeFit(t.svc('a'), t.cluster, new Map()) as NodeFit;
    const current = new Int32Array(t.cluster.nodes.length);
    current[t.at('act')] = 1;
    current[t.at('pau')] = 2;
    const b = boundsFor(t.svc('a'), t.cluster, t.usage, fit, current);
    const of = (host: string) => [b.lo[t.at(host)], b.hi[t.at(host)]];
    expect(of('act')).toEqual([0, 2]);
    expect(of('pau')).toEqual([0, 2]);
    expect(of('dra')).toEqual([0, 0]);
    expect(of('oth')).toEqual([0, 2]);
  });
});
