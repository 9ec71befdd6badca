import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../test/support/fake-clock.js';
import { FakeDocker, gate } from '../../test/support/fake-agent-deps.js';
import { silentLogger } from '../log/logger.js';
import { ClusterView } from '../correlate/cluster-view.js';
import { ClusterWatch } from './cluster-watch.js';

function watching(docker: FakeDocker) {
  const clock = new FakeClock(1_000_000);
  const reconciled: unknown[] = [];
  const watch = new ClusterWatch(docker, new ClusterView(60_000), clock, silentLogger(), () => 1000, {
    observations: () => undefined,
    reconciled: (local) => reconciled.push(local),
    dockerDown: () => undefined,
  });
  return { clock, watch, reconciled };
}

describe('ClusterWatch.stop', () => {
  it('during a tick waiting on the daemon: the tick ends without opening the events stream', async () => {
    const docker = new FakeDocker();
    const slow = gate();
    docker.hold = slow.promise;
    const { clock, watch, reconciled } = watching(docker);
    watch.start();
    watch.stop();
    slow.open();
    await clock.advance(5000);
    expect(docker.eventsOpened).toBe(0);
    expect(docker.streams.size).toBe(0);
    expect(reconciled).toEqual([]);
  });

  it('while the events stream is opening: the stream is closed as soon as it opens', async () => {
    const docker = new FakeDocker();
    const opening = gate();
    docker.holdEvents = opening.promise;
    const { clock, watch } = watching(docker);
    watch.start();
    await clock.advance(0);
    expect(docker.eventsOpened).toBe(1);
    watch.stop();
    opening.open();
    await clock.advance(5000);
    expect(docker.streams.size).toBe(0);
    expect(docker.eventsOpened).toBe(1);
  });

  it('without a stop, a tick opens one stream and keeps it', async () => {
    const docker = new FakeDocker();
    const { clock, watch, reconciled } = watching(docker);
    watch.start();
    await clock.advance(3500);
    expect(docker.streams.size).toBe(1);
    expect(docker.eventsOpened).toBe(1);
    expect(reconciled.length).toBeGreaterThanOrEqual(3);
    watch.stop();
    expect(docker.streams.size).toBe(0);
  });
});
