// What Docker returns is checked at the adapter: typed values in, a coded error for a reply of
// another shape, and nothing of a spec lost on the way (it is written back whole).
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readEvent, readService, readSnapshot, readTasks } from './docker-api.js';
import { DockerResponseError } from './docker.js';

const SNAPSHOTS = join(import.meta.dirname, '../../test/fixtures/snapshots');

describe('docker replies', () => {
  it('every committed snapshot fixture reads as it is', () => {
    const files = readdirSync(SNAPSHOTS).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const doc = JSON.parse(readFileSync(join(SNAPSHOTS, f), 'utf8'));
      if (!Array.isArray(doc.nodes)) continue;
      expect(readSnapshot(doc.nodes, doc.services, doc.tasks), f).toEqual({ nodes: doc.nodes, services: doc.services, tasks: doc.tasks });
    }
  });

  it('a field of another type is a DockerResponseError naming the call and the field (WDG-DOCKER-002)', () => {
    const bad = [{ ID: 's1', Spec: { Name: 'web', Mode: { Replicated: { Replicas: '6' } } } }];
    let err: unknown;
    try {
      readSnapshot([], bad, []);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DockerResponseError);
    expect((err as DockerResponseError).code).toBe('WDG-DOCKER-002');
    expect((err as Error).message).toMatch(/GET \/services.*\[0\]\.Spec\.Mode\.Replicated\.Replicas/);
    expect(() => readTasks({ not: 'a list' })).toThrow(DockerResponseError);
    expect(() => readService({ ID: 's1', Spec: {} })).toThrow(/Version/);
  });

  it('a service read keeps every field it does not type, so a write-back loses nothing', () => {
    const raw = { ID: 's1', Version: { Index: 7 }, Spec: { Name: 'web', TaskTemplate: { ContainerSpec: { Image: 'x', Env: ['A=1'] } }, UpdateConfig: { Parallelism: 2 } }, Endpoint: {} };
    expect(readService(raw)).toEqual(raw);
  });

  it('an event of another shape is dropped, not thrown', () => {
    expect(readEvent({ Type: 'node', Action: 'update', Actor: { ID: 'n1', Attributes: { 'state.new': 'down' } }, time: 1 })).toBeDefined();
    expect(readEvent({ Type: 'node', Action: 'update', Actor: {}, time: 1 })).toBeUndefined();
    expect(readEvent(null)).toBeUndefined();
  });
});
