// Ends a move: the service goes back to the replicas it had before our scale-up and our intent label
// is removed, in one version-checked write. Used after a scale-up (the scale-down), after an error
// mid-move (the restore), and by the agent that finds a move nobody is finishing any more.
import type { Clock } from '../adapters/clock.js';
import { OutOfSequenceError, type DockerClient } from '../adapters/docker.js';
import type { Logger } from '../log/logger.js';
import { readIntent, replicasOf, sameIntent, withoutIntent, withReplicas, type Intent } from './intent.js';
import { sleep, waitForTasks, type TaskCounts } from './service-watch.js';

/** We leave the service alone: someone else changed it, or it is no longer ours to write. */
export class BackOff extends Error {}

/** New tasks did not run, or extra ones did not stop, in time. */
export class MoveTimeout extends Error {}

export interface SettleOptions {
  /** The intent of our own move; undefined: whatever intent is on the service (recovery). */
  expected?: Intent;
  /** Write nothing at or after this time (ms): past it another agent may be finishing the move. */
  writeBy?: number;
  /** Wait up to this long for the extra tasks to stop; 0: do not wait. */
  stopWaitMs: number;
  onPoll?: (c: TaskCounts) => void;
}

export interface Settled {
  name: string;
  /** Replicas the service is left at. */
  replicas: number | undefined;
  /** True when someone else had changed the replicas mid-move: theirs were kept, only our label removed. */
  kept: boolean;
}

const ATTEMPTS = 3;
const RETRY_MS = 500;

export async function finishIntent(docker: DockerClient, clock: Clock, log: Logger, serviceId: string, opts: SettleOptions): Promise<Settled> {
  const settled = await writeBack(docker, clock, log, serviceId, opts);
  if (!opts.stopWaitMs || settled.kept || settled.replicas === undefined) return settled;
  const want = settled.replicas;
  const done = await waitForTasks(docker, clock, serviceId, (c) => c.desired === want && c.running === want && c.stopping === 0, opts.stopWaitMs, opts.onPoll);
  if (!done) throw new MoveTimeout(`${settled.name}: the extra task(s) did not stop within ${opts.stopWaitMs / 1000} s (timed out)`);
  return settled;
}

/** Re-reads and writes until one version-checked write lands; a write that may have landed (a timeout) is checked on the next read. */
async function writeBack(docker: DockerClient, clock: Clock, log: Logger, serviceId: string, opts: SettleOptions): Promise<Settled> {
  let last: unknown;
  let uncertain: Settled | undefined;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (attempt) await sleep(clock, RETRY_MS);
    if (opts.writeBy !== undefined && clock.now() >= opts.writeBy) {
      throw new BackOff(`service ${serviceId}: past this run's write window; the intent label stays and the acting agent finishes the move`);
    }
    let svc;
    try {
      svc = await docker.inspectService(serviceId);
    } catch (err) {
      last = err;
      continue;
    }
    const name = svc.Spec.Name ?? serviceId;
    const intent = readIntent(svc.Spec.Labels);
    if (!intent) {
      if (uncertain && replicasOf(svc.Spec) === uncertain.replicas) return uncertain; // our timed-out write did land
      throw new BackOff(`${name}: our rebalance label is not on the service (never written, or removed by a deploy); left alone`);
    }
    if (opts.expected && !sameIntent(intent, opts.expected)) throw new BackOff(`${name}: another rebalance's label is on the service now; left to it`);
    const current = replicasOf(svc.Spec);
    // Our scale-up left it at replicas + k; any other count is someone else's decision, made after it.
    const kept = current !== intent.replicas + intent.k;
    const spec = { ...(kept ? svc.Spec : withReplicas(svc.Spec, intent.replicas)), Labels: withoutIntent(svc.Spec.Labels) };
    const result: Settled = { name, replicas: kept ? current : intent.replicas, kept };
    try {
      await docker.updateService(serviceId, svc.Version.Index, spec);
    } catch (err) {
      last = err;
      uncertain = err instanceof OutOfSequenceError ? undefined : result;
      continue; // re-read and decide again
    }
    if (kept) {
      log.log('WDG-REBALANCE-009', `${name}: replicas changed to ${current} by someone else during the move (the move had left ${intent.replicas + intent.k}); kept ${current}, removed our label`, { service: name, replicas: current, intent });
    } else log.debug('scaled down', { service: name, replicas: intent.replicas });
    return result;
  }
  if (last instanceof OutOfSequenceError) throw new BackOff(`service ${serviceId}: kept changing under us (update out of sequence ${ATTEMPTS} times); left alone`);
  throw last;
}
