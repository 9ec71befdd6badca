// The in-memory swarm does what the lab measured on dockerd 20.10 (lab notes, "Moving tasks").
import { describe, expect, it } from 'vitest';
import { OutOfSequenceError } from '../../src/adapters/docker.js';
import { FakeClock } from '../support/fake-clock.js';
import { FakeSwarm } from '../support/fake-swarm.js';

const nodes = [{ hostname: 'node1' }, { hostname: 'node2' }, { hostname: 'node3' }];

async function scale(swarm: FakeSwarm, clock: FakeClock, name: string, by: number) {
  const svc = await swarm.inspectService(name);
  const replicas = svc.Spec.Mode!.Replicated!.Replicas!;
  await swarm.updateService(svc.ID, svc.Version.Index, { ...svc.Spec, Mode: { Replicated: { Replicas: replicas + by } } });
  await clock.advance(2000);
}

describe('fake swarm', () => {
  it('3/3/0 → +2 → 3/3/2 → −2 → 2/2/2, and 4/2/0 the same way', async () => {
    const clock = new FakeClock(0);
    const swarm = new FakeSwarm(clock, nodes);
    swarm.createService('web', { node1: 3, node2: 3 });
    swarm.createService('api', { node1: 4, node2: 2 });
    await scale(swarm, clock, 'web', 2);
    expect(swarm.running('web')).toEqual({ node1: 3, node2: 3, node3: 2 });
    await scale(swarm, clock, 'web', -2);
    expect(swarm.running('web')).toEqual({ node1: 2, node2: 2, node3: 2 });
    await scale(swarm, clock, 'api', 2);
    await scale(swarm, clock, 'api', -2);
    expect(swarm.running('api')).toEqual({ node1: 2, node2: 2, node3: 2 });
  });

  it('new tasks run only after startMs; removed ones hold their node for stopMs', async () => {
    const clock = new FakeClock(0);
    const swarm = new FakeSwarm(clock, nodes);
    swarm.createService('web', { node1: 2 });
    const svc = await swarm.inspectService('web');
    await swarm.updateService(svc.ID, svc.Version.Index, { ...svc.Spec, Mode: { Replicated: { Replicas: 3 } } });
    await clock.advance(swarm.startMs - 1);
    expect(swarm.running('web')).toEqual({ node1: 2 });
    await clock.advance(1);
    expect(swarm.running('web')).toEqual({ node1: 2, node2: 1 });
  });

  it('the version index is store-wide and a stale one is refused', async () => {
    const clock = new FakeClock(0);
    const swarm = new FakeSwarm(clock, nodes);
    swarm.createService('web', { node1: 2 });
    swarm.createService('api', { node1: 2 });
    const web = await swarm.inspectService('web');
    swarm.scale('api', 3); // another service's write moves the index
    const again = await swarm.inspectService('web');
    expect(again.Version.Index).toBe(web.Version.Index);
    swarm.scale('web', 3);
    const after = await swarm.inspectService('web');
    expect(after.Version.Index).toBeGreaterThan(web.Version.Index + 1);
    await expect(swarm.updateService(web.ID, web.Version.Index, web.Spec)).rejects.toBeInstanceOf(OutOfSequenceError);
  });
});
