import type { Clock } from '../adapters/clock.js';
import type { ApiTask, DockerClient } from '../adapters/docker.js';

export interface TaskCounts {
  /** Tasks Swarm wants running. */
  desired: number;
  running: number;
  /** Wanted but not yet on a node. */
  unassigned: number;
  /** Running tasks per node id. */
  perNode: Record<string, number>;
  /** Told to stop but still holding a node (a scale-down is done when these are gone). */
  stopping: number;
}

const ON_NODE = new Set(['assigned', 'accepted', 'preparing', 'ready', 'starting', 'running']);

export function countTasks(tasks: ApiTask[]): TaskCounts {
  const counts: TaskCounts = { desired: 0, running: 0, unassigned: 0, perNode: {}, stopping: 0 };
  for (const t of tasks) {
    if (t.DesiredState !== 'running') {
      if (t.NodeID && ON_NODE.has(t.Status?.State ?? '')) counts.stopping++;
      continue;
    }
    counts.desired++;
    if (!t.NodeID) counts.unassigned++;
    // A task with a health check reports "running" only once healthy (swarmkit's "starting" before).
    if (t.Status?.State === 'running') {
      counts.running++;
      if (t.NodeID) counts.perNode[t.NodeID] = (counts.perNode[t.NodeID] ?? 0) + 1;
    }
  }
  return counts;
}

export const sleep = (clock: Clock, ms: number) => new Promise<void>((resolve) => clock.setTimeout(resolve, ms));

/** Polls the service's tasks until `done` holds; returns the last counts, or undefined on timeout. */
export async function waitForTasks(
  docker: DockerClient,
  clock: Clock,
  serviceId: string,
  done: (c: TaskCounts) => boolean,
  timeoutMs: number,
  onPoll?: (c: TaskCounts) => void,
  pollMs = 250,
): Promise<TaskCounts | undefined> {
  const deadline = clock.now() + timeoutMs;
  for (;;) {
    const counts = countTasks(await docker.serviceTasks(serviceId));
    onPoll?.(counts);
    if (done(counts)) return counts;
    if (clock.now() >= deadline) return undefined;
    await sleep(clock, pollMs);
  }
}
