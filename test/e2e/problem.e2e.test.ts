// The problem swarm-watchdog solves, shown on a real swarm: after a partition heals, Swarm never
// moves tasks back, so the healed node stays empty and the service stays unbalanced.
import { describe, expect, it } from 'vitest';
import { sleep } from '../lab/lab.js';
import { useLab } from '../lab/use-lab.js';
import {
  containersPerNode,
  createService,
  formatSpread,
  isNodeStateEvent,
  runningTasksPerNode,
  total,
  waitForNodeState,
  waitForSpread,
  watchEvents,
} from '../lab/swarm.js';

const lab = useLab({ nodes: 3, managers: 1 });

describe('without the watchdog', () => {
  it('a partitioned worker loses its tasks and gets none back after it heals', async () => {
    const l = lab();
    await createService(l, { name: 'web', replicas: 6 });
    const before = await waitForSpread(l, 'web', { node1: 2, node2: 2, node3: 2 }, 30_000);
    expect(before).toEqual({ node1: 2, node2: 2, node3: 2 });

    const events = await watchEvents(l, 'node1', { type: ['node'] });
    try {
      const cutAt = Date.now();
      await l.cut('node3');

      // The manager marks node3 Down (swarm defaults: ~10-16 s) and says so on the events API.
      const down = await events.waitFor(isNodeStateEvent('node3', 'down'), 60_000, 'node3 state.new=down');
      expect(down.Action).toBe('update');
      expect(down.Actor.Attributes['state.old']).toBe('ready');
      const downAfterMs = Date.now() - cutAt;

      // Its tasks are rescheduled on the remaining nodes.
      const during = await waitForSpread(l, 'web', (s) => total(s) === 6 && s.node3 === 0, 60_000);
      expect(during.node1 + during.node2).toBe(6);
      expect(during.node1).toBeGreaterThanOrEqual(2);
      expect(during.node2).toBeGreaterThanOrEqual(2);

      await l.heal('node3');
      await events.waitFor(isNodeStateEvent('node3', 'ready'), 60_000, 'node3 state.new=ready');
      await waitForNodeState(l, 'node3', 'ready', 30_000);

      // Settle: node3 kills its stale containers; then nothing moves back.
      await l.waitFor('node3 to stop its stale containers', async () => (await containersPerNode(l, 'web')).node3 === 0, 60_000);
      await sleep(15_000);
      const after = await runningTasksPerNode(l, 'web');
      expect(total(after)).toBe(6);
      expect(after.node3).toBe(0);
      expect((await containersPerNode(l, 'web')).node3).toBe(0);
      console.log(`node3 Down ${downAfterMs} ms after the cut; spread during ${formatSpread(during)}, after heal ${formatSpread(after)}`);
    } finally {
      events.close();
    }
  });
});
