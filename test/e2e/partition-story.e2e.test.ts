// The product's story on a real swarm, with one agent per node: a worker is cut off, the acting
// agent alerts Slack (a real HTTP stand-in) once, joins the partition, the task moves and the mass
// reconnect into one incident, and after the heal puts the services back in balance without ever
// running below the desired replicas. Then a daemon restart, and a crash in the middle of a move.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep, waitFor } from '../lab/lab.js';
import { useLab } from '../lab/use-lab.js';
import { containersPerNode, createService, isNodeStateEvent, runningTasksPerNode, sampleRunning, total, waitForNodeState, waitForSpread, watchEvents } from '../lab/swarm.js';
import { agentsFor, stopAgents, BIN, TOKEN, type AgentProcess } from '../support/agents.js';
import { SlackStandIn } from '../support/slack-standin.js';

const lab = useLab({ nodes: 3, managers: 1 });
let agents: AgentProcess[] = [];
let slack: SlackStandIn;
let dir = '';

const REDIS_ON_START = 'echo \'{"level":"info","code":"API-REDIS-001","msg":"reconnected to redis"}\'; exec sleep 1000000';
const JOURNALD = ['--log-driver', 'journald', '--log-opt', 'tag=api', '--log-opt', 'labels=com.docker.swarm.service.name,com.docker.swarm.node.id,com.docker.swarm.task.id'];

interface IncidentJson {
  id: string;
  end: string | null;
  kind: string;
  nodes: string[];
  tasksMoved: Array<{ service: string; from: string; to: string; count: number }>;
  reconnects: Array<{ service: string; code: string; tasks: number }>;
  evidence: Array<{ node: string; rule: string }>;
  summary: string;
}

/** A code's count summed over every node's agent (each counts only its own node's containers). */
async function codeCount(code: string): Promise<number> {
  let n = 0;
  for (const a of agents) {
    const text = (await a.get<string>('/metrics')).body;
    const m = new RegExp(`watchdog_app_log_codes_total\\{code="${code}"\\} (\\d+)`).exec(text);
    n += m ? Number(m[1]) : 0;
  }
  return n;
}

async function incidents(a: AgentProcess): Promise<IncidentJson[]> {
  return (await a.get<{ incidents: IncidentJson[] }>('/v1/incidents')).body.incidents;
}

beforeAll(async () => {
  const l = lab();
  dir = mkdtempSync(join(tmpdir(), 'wdg-story-'));
  slack = await SlackStandIn.forLab(l, join(dir, 'webhook'));
  const ids = Object.fromEntries((await l.docker('node1', ['node', 'ls', '--format', '{{.Hostname}} {{.ID}}'])).split('\n').map((line) => line.split(' ')));
  agents = agentsFor(l, {
    dir,
    matches: (node) => ['+', `COM_DOCKER_SWARM_NODE_ID=${ids[node.name]}`],
    config: {
      alerts: { webhookFile: join(dir, 'webhook') },
      rebalance: { stabilization: '20s', cooldown: '5s' },
      correlate: { quiet: '20s' },
      appLogs: { massReconnect: { minTasks: 2 } },
    },
  });
  for (const a of agents) a.start();
  await Promise.all(agents.map((a) => a.ready()));
  await waitFor('node1 agent acts', async () => (await agents[0].get<{ acting: boolean }>('/v1/stats')).body.acting, 30_000);
});

afterAll(async () => {
  await stopAgents(agents);
  await slack?.stop();
});

describe('the partition story', () => {
  it('one incident, one alert, rebalanced after the heal, never below the desired replicas', async () => {
    const l = lab();
    await createService(l, { name: 'web', replicas: 6, command: ['sh', '-c', REDIS_ON_START], args: JOURNALD });
    // json-file logs (the default driver) are read through the Docker logs API.
    await createService(l, { name: 'capped', replicas: 4, args: ['--replicas-max-per-node', '2'], command: ['sh', '-c', 'echo \'{"code":"CAP-CACHE-001"}\'; exec sleep 1000000'] });
    await createService(l, { name: 'pinned', replicas: 4, args: ['--constraint', 'node.hostname!=node3'] });
    await createService(l, { name: 'optout', replicas: 3, args: ['--label', 'swarm-watchdog.rebalance=false'] });
    await createService(l, { name: 'single', replicas: 1 });
    await waitForSpread(l, 'web', { node1: 2, node2: 2, node3: 2 }, 60_000);
    await waitFor('every capped task counted through the logs API', async () => (await codeCount('CAP-CACHE-001')) >= 4, 30_000, 500);
    await sleep(3000);
    expect(await codeCount('CAP-CACHE-001')).toBe(4); // once each

    const events = await watchEvents(l, 'node1', { type: ['node'] });
    const cutAt = Date.now();
    await l.cut('node3');
    const down = await events.waitFor(isNodeStateEvent('node3', 'down'), 60_000, 'node3 down');
    const downAt = down.timeNano / 1e6;
    const alert = await waitFor('the partition alert', async () => slack.delivered.find((m) => /partition/.test(m.body.text ?? '')), 60_000, 100);
    console.log(`cut → Down ${downAt - cutAt} ms; cut → Slack alert ${alert.at - cutAt} ms; ratio ${((alert.at - cutAt) / (downAt - cutAt)).toFixed(2)}`);
    expect(alert.body.text).toMatch(/node3/);
    expect(alert.body.blocks?.length).toBeGreaterThan(3);
    expect(alert.at - cutAt).toBeLessThan((downAt - cutAt) * 1.5);

    await sleep(Math.max(0, cutAt + 40_000 - Date.now()));
    const duringCut = await runningTasksPerNode(l, 'optout');
    await l.heal('node3');
    await events.waitFor(isNodeStateEvent('node3', 'ready'), 60_000, 'node3 ready');
    const readyAt = Date.now();
    events.close();
    await waitForSpread(l, 'web', (s) => total(s) === 6 && s.node3 === 0, 30_000);
    await l.waitFor('node3 to stop its stale containers', async () => (await containersPerNode(l, 'web')).node3 === 0, 30_000);

    // The dry run on a snapshot taken at the moment of imbalance shows the plan.
    const snapshot = join(dir, 'snapshot.json');
    execFileSync(process.execPath, [BIN, 'snapshot', '--output', snapshot], { env: { ...process.env, WATCHDOG_DOCKER_SOCKET: l.node('node1').socketPath } });
    const plan = JSON.parse(execFileSync(process.execPath, [BIN, 'rebalance', '--dry-run', '--snapshot', snapshot, '--json'], { encoding: 'utf8' }));
    const web = plan.services.find((s: { service: string }) => s.service === 'web');
    expect(web).toMatchObject({ before: { node1: 3, node2: 3 }, after: { node1: 2, node2: 2, node3: 2 }, skipped: null });
    expect(web.moves.reduce((n: number, m: { count: number }) => n + m.count, 0)).toBe(2);
    expect(plan.services.find((s: { service: string }) => s.service === 'optout').skipped).toMatch(/rebalance=false/);
    expect(plan.services.find((s: { service: string }) => s.service === 'single').skipped).toMatch(/one replica/);

    const sample = sampleRunning(lab(), 'web');
    const balanced = await waitForSpread(l, 'web', { node1: 2, node2: 2, node3: 2 }, 20_000 + 30_000 + 15_000);
    console.log(`heal → Ready → balanced ${Date.now() - readyAt} ms after Ready`);
    expect(Date.now() - readyAt).toBeLessThan(20_000 + 30_000);
    const { min, samples } = await sample.stop();
    console.log(`web running replicas during the rebalance: min ${min} over ${samples} samples`);
    expect(min).toBeGreaterThanOrEqual(6);
    expect(balanced).toEqual({ node1: 2, node2: 2, node3: 2 });

    await sleep(5000);
    const capped = await runningTasksPerNode(l, 'capped');
    expect(total(capped)).toBe(4);
    expect(Math.max(...Object.values(capped))).toBeLessThanOrEqual(2);
    expect((await runningTasksPerNode(l, 'pinned')).node3).toBe(0);
    expect(await runningTasksPerNode(l, 'optout')).toEqual(duringCut);
    expect(total(await runningTasksPerNode(l, 'single'))).toBe(1);

    // One incident: the partition, its moved tasks and the mass reconnect, with node3's own evidence.
    // (Deploying web made its tasks say API-REDIS-001 too: a reconnect burst before the cut, ended by then.)
    const sinceCut = (list: IncidentJson[]) => list.filter((i) => i.end === null || Date.parse(i.end) > cutAt);
    const found = await waitFor('node3 evidence in the incident', async () => {
      const list = sinceCut(await incidents(agents[0]));
      return list.length === 1 && list[0].evidence.some((e) => e.node === 'node3' && e.rule === 'heartbeat-failed') ? list : undefined;
    }, 30_000, 500);
    const [incident] = found;
    expect(incident).toMatchObject({ kind: 'partition', nodes: ['node3'] });
    expect(incident.tasksMoved.some((m) => m.service === 'web' && m.from === 'node3')).toBe(true);
    expect(incident.reconnects.some((r) => r.service === 'web' && r.code === 'API-REDIS-001' && r.tasks >= 2)).toBe(true);
    console.log(`incident: ${incident.summary}`);

    // Slack: one alert, then the end and the rebalance result.
    await waitFor('end and rebalance messages', async () => slack.delivered.length >= 3, 60_000, 500);
    const texts = slack.delivered.map((m) => m.body.text ?? '');
    expect(texts.filter((t) => t.startsWith(':rotating_light:'))).toHaveLength(1);
    expect(texts.some((t) => /ended/.test(t))).toBe(true);
    expect(texts.some((t) => /rebalanced .*service/.test(t) && /web: node1:3 node2:3 node3:0 → node1:2 node2:2 node3:2/.test(t))).toBe(true);
  });

  it('a daemon restart is a daemon-restart, not a partition; that node answers 503 while its daemon is down', async () => {
    const l = lab();
    const before = (await incidents(agents[0])).length;
    await l.stopDaemon('node2');
    const health = await waitFor('node2 health 503', async () => {
      const h = await agents[1].get<Array<{ Name: string; Status: string }>>('/health/status');
      return h.status === 503 ? h.body : undefined;
    }, 30_000, 500);
    expect(health.find((e) => e.Name === 'docker')?.Status).toBe('ERROR');
    await sleep(3000);
    await l.startDaemon('node2');
    await waitForNodeState(l, 'node2', 'ready', 60_000);
    await waitFor('node2 health 200', async () => (await agents[1].get('/health/status')).status === 200, 30_000, 500);
    const list = await waitFor('a daemon-restart incident', async () => {
      const all = await incidents(agents[0]);
      return all.slice(before).some((i) => i.kind === 'daemon-restart') ? all.slice(before) : undefined;
    }, 60_000, 500);
    expect(list.filter((i) => i.kind === 'partition')).toEqual([]);
    expect(list.find((i) => i.kind === 'daemon-restart')?.nodes).toEqual(['node2']);
  });

  it('an agent killed between scale-up and scale-down: the service ends at its replicas and balanced', async () => {
    const l = lab();
    await waitForSpread(l, 'web', (s) => total(s) === 6, 60_000);
    await l.docker('node1', ['node', 'update', '--availability', 'drain', 'node3']);
    await waitForSpread(l, 'web', (s) => total(s) === 6 && s.node3 === 0, 60_000);
    await l.docker('node1', ['node', 'update', '--availability', 'active', 'node3']);
    await sleep(6000); // past the cooldown of the last rebalance

    const sample = sampleRunning(lab(), 'web');
    const acting = agents[0];
    void fetch(`${acting.url}/v1/rebalance`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: JSON.stringify({ services: ['web'] }) }).catch(() => undefined);
    const dockerode = l.dockerode('node1');
    await waitFor('the intent label (scaled up)', async () => {
      const svc = await dockerode.getService('web').inspect();
      return svc.Spec.Labels?.['swarm-watchdog.intent'] !== undefined;
    }, 30_000, 50);
    await acting.stop('SIGKILL');
    const svc = await dockerode.getService('web').inspect();
    console.log(`killed the acting agent at replicas ${svc.Spec.Mode.Replicated.Replicas}`);
    acting.start();
    await waitFor('the intent finished', async () => {
      const s = await dockerode.getService('web').inspect();
      return s.Spec.Labels?.['swarm-watchdog.intent'] === undefined && s.Spec.Mode.Replicated.Replicas === 6;
    }, 120_000, 500);
    const spread = await waitForSpread(l, 'web', (s) => total(s) === 6 && s.node3 === 2, 60_000);
    const { min } = await sample.stop();
    expect(spread).toEqual({ node1: 2, node2: 2, node3: 2 });
    expect(min).toBeGreaterThanOrEqual(6);
  });
});
