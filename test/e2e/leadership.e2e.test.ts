// Issue 13, lab fault: the acting agent's node loses leadership in the middle of a rebalance (its
// node is cut off between the scale-up and the scale-down). The new acting agent finishes (or, as
// Swarm's scale-down decides, rolls back) the move,
// never while the old one may still write it, and the service never runs below its replicas.
// Three managers and one worker; the service keeps off node1 so the cut moves no task.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orphanAfterMs, readIntent } from '../../src/act/intent.js';
import { sleep, waitFor } from '../lab/lab.js';
import { useLab } from '../lab/use-lab.js';
import { containersPerNode, createService, runningTasksPerNode, total, waitForSpread, type Spread } from '../lab/swarm.js';
import { actingAgent, agentsFor, stopAgents, TOKEN, type AgentProcess, type LogLine } from '../support/agents.js';

const lab = useLab({ name: 'hact', nodes: 4, managers: 3 });
let agents: AgentProcess[] = [];
const SERVICE_TIMEOUT_MS = 15_000;
const DOCKER_TIMEOUT_MS = 2_000;
// A new task is "running" only once healthy, ~4 s after it starts: the move takes long enough to cut it.
const SLOW_START = ['--health-cmd', 'test -f /tmp/ok', '--health-interval', '1s', '--health-start-period', '60s'];
const COMMAND = ['sh', '-c', 'sleep 4; touch /tmp/ok; exec sleep 1000000'];

const at = (l: LogLine) => Date.parse(String(l.time));

/** Every 250 ms: web's running containers (docker ps on each node: no Swarm leader needed) and running tasks as node2 sees them. */
function sampler() {
  const min = { containers: Infinity, tasks: Infinity };
  let samples = 0;
  let taskSamples = 0;
  let on = true;
  const loop = (async () => {
    while (on) {
      const [c, t] = await Promise.all([containersPerNode(lab(), 'web'), runningTasksPerNode(lab(), 'web', 'node2').catch(() => undefined as Spread | undefined)]);
      min.containers = Math.min(min.containers, total(c));
      samples++;
      if (t) {
        min.tasks = Math.min(min.tasks, total(t));
        taskSamples++;
      }
      await sleep(250);
    }
  })();
  return { stop: async () => { on = false; await loop; return { min, samples, taskSamples }; } };
}

beforeAll(async () => {
  agents = agentsFor(lab(), {
    dir: mkdtempSync(join(tmpdir(), 'wdg-lead-')),
    config: { rebalance: { serviceTimeout: `${SERVICE_TIMEOUT_MS / 1000}s` }, docker: { timeout: `${DOCKER_TIMEOUT_MS / 1000}s` }, log: { level: 'debug' } },
  });
  for (const a of agents) a.start();
  await Promise.all(agents.map((a) => a.ready()));
  await waitFor('node1 agent acts', async () => (await agents[0]!.get<{ acting: boolean }>('/v1/stats')).body.acting, 30_000);
});

afterAll(async () => {
  await stopAgents(agents);
});

describe('leadership lost mid-move', () => {
  it('the new acting agent finishes the move once the old one cannot write it; never below 6', async () => {
    const l = lab();
    await createService(l, { name: 'web', replicas: 6, command: COMMAND, args: ['--constraint', 'node.hostname!=node1', ...SLOW_START], timeoutMs: 90_000 });
    await l.docker('node1', ['node', 'update', '--availability', 'drain', 'node4']);
    await waitForSpread(l, 'web', { node2: 3, node3: 3 }, 60_000);
    await l.docker('node1', ['node', 'update', '--availability', 'active', 'node4']);

    const sample = sampler();
    const old = agents[0]!;
    const from = old.lines.length;
    void fetch(`${old.url}/v1/rebalance`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: JSON.stringify({ services: ['web'] }) }).catch(() => undefined);
    const node2 = l.dockerode('node2');
    const intent = await waitFor('the intent label (scaled up)', async () => readIntent((await node2.getService('web').inspect()).Spec.Labels), 30_000, 50);
    await l.cut('node1');
    const cutAt = Date.now();
    // Until a new leader is elected, node2 cannot answer (it forwards to the leader): retry.
    const left = await waitFor('node2 answers again', () => node2.getService('web').inspect(), 60_000, 250);
    console.log(`cut node1 ${cutAt - Date.parse(intent.startedAt)} ms after the scale-up; ${Date.now() - cutAt} ms later web at ${left.Spec.Mode.Replicated.Replicas} replicas with the label: ${Boolean(readIntent(left.Spec.Labels))}`);
    expect(readIntent(left.Spec.Labels)).toEqual(intent);

    const next = await waitFor('a new acting agent', async () => {
      const a = await actingAgent(agents);
      return a && a !== old ? a : undefined;
    }, 60_000, 500);
    const actingAt = Date.now();
    const finished = await waitFor('the move finished (label gone, 6 replicas)', async () => {
      const s = await node2.getService('web').inspect();
      return !readIntent(s.Spec.Labels) && s.Spec.Mode.Replicated.Replicas === 6 ? Date.now() : undefined;
    }, 180_000, 250);
    // Finished (2/2/2) or rolled back (3/3/0): Swarm's scale-down picks which tasks go; both are
    // what the fault allows. Wait until the extra tasks are gone either way.
    const spread = await waitForSpread(l, 'web', (s) => total(s) === 6, 60_000, 'node2');
    await l.waitFor('the extra containers gone', async () => total(await containersPerNode(l, 'web')) === 6, 60_000);
    const { min, samples, taskSamples } = await sample.stop();

    // Who wrote: the old agent only its scale-up (its restore could not reach a leader); the new one
    // the scale-down, and only once the old run's write window had closed.
    const oldLines = old.lines.slice(from);
    const oldOutcome = await old.waitForLine('the old run\'s outcome', (x) => /^WDG-REBALANCE-00[2-5]$/.test(String(x.code)) && x.service === 'web', 60_000, from);
    const takeOver = next.lines.find((x) => x.code === 'WDG-REBALANCE-007' && x.service === 'web');
    const newDown = next.lines.find((x) => x.msg === 'scaled down' && x.service === 'web');
    const orphanAge = orphanAfterMs(SERVICE_TIMEOUT_MS, DOCKER_TIMEOUT_MS);
    console.log([
      `new acting agent ${next.node.name}: acting ${actingAt - cutAt} ms after the cut; move finished ${finished - cutAt} ms after the cut`,
      `old run: ${oldOutcome.code} ${oldOutcome.msg}`,
      `take-over ${at(takeOver!) - Date.parse(intent.startedAt)} ms after the intent (orphan age ${orphanAge} ms); spread ${JSON.stringify(spread)}`,
      `web during the move: min ${min.containers} running containers over ${samples} samples, min ${min.tasks} running tasks over ${taskSamples} samples from node2`,
    ].join('\n'));
    expect(oldLines.filter((x) => x.msg === 'scaled down')).toEqual([]);
    expect(oldOutcome.code).not.toBe('WDG-REBALANCE-002');
    expect(takeOver).toBeDefined();
    expect(newDown).toBeDefined();
    expect(at(takeOver!)).toBeGreaterThanOrEqual(Date.parse(intent.startedAt) + orphanAge);
    expect(at(takeOver!)).toBeGreaterThan(at(oldOutcome));
    expect([JSON.stringify({ node1: 0, node2: 2, node3: 2, node4: 2 }), JSON.stringify({ node1: 0, node2: 3, node3: 3, node4: 0 })]).toContain(JSON.stringify(spread));
    expect(min.containers).toBeGreaterThanOrEqual(6);
    expect(min.tasks).toBeGreaterThanOrEqual(6);
    await l.heal('node1');
  });
});
