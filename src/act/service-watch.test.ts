import { describe, expect, it } from 'vitest';
import { countTasks } from './service-watch.js';

let id = 0;
const task = (desired: string, state: string, node = 'n1') => ({ ID: `t${++id}`, DesiredState: desired, NodeID: node, Status: { State: state } });

describe('countTasks', () => {
  it('counts what runs per node, what waits for a node, and what is still stopping', () => {
    const c = countTasks([
      task('running', 'running'),
      task('running', 'running', 'n2'),
      task('running', 'starting', 'n2'),
      { ID: 'unassigned', DesiredState: 'running', Status: { State: 'pending' } },
      task('shutdown', 'running'), // scaled away, its container not gone yet
      task('shutdown', 'shutdown'),
      task('shutdown', 'failed', 'n2'),
      task('remove', 'starting'),
    ]);
    expect(c).toEqual({ desired: 4, running: 2, unassigned: 1, perNode: { n1: 1, n2: 1 }, stopping: 2 });
  });
});
