// The shipped artefacts on a real swarm: the image built by scripts/image/build.sh (on a lab node's
// daemon, no registry), loaded on every node, and the unchanged stack.yml deployed with the lab's
// values (config/lab-stack.env). The agents run as the global service's containers; a worker is cut
// off: Slack (a stand-in on the lab bridge) gets the alert, the 6 replicas are put back in balance
// after the heal, and every agent's /health/status ends at 200. Swarm replaces the cut node's agent
// task when the node comes back: its successor resumes after the saved cursor in the node's host
// state directory, and no journal entry is lost or handled twice.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep, waitFor } from '../lab/lab.js';
import { useLab } from '../lab/use-lab.js';
import { createService, isNodeStateEvent, waitForSpread, watchEvents } from '../lab/swarm.js';
import { TOKEN, type LogLine } from '../support/agents.js';
import { SlackStandIn } from '../support/slack-standin.js';
import {
  agentContainer,
  agentGet,
  buildImage,
  containerLines,
  containerText,
  containerTimes,
  deployStack,
  loadImage,
  savedState,
  waitForAgentContainer,
  type AgentContainer,
} from '../support/stack.js';

const lab = useLab({ nodes: 3, managers: 1 });
const SERVICE = 'watchdog_agent';
let slack: SlackStandIn;
let dir = '';
const seen = new Map<string, AgentContainer>(); // every agent container met, for the post-mortem

async function agentOn(node: string, not?: string): Promise<AgentContainer> {
  const c = await waitForAgentContainer(lab(), node, 90_000, not);
  seen.set(c.id, c);
  return c;
}

beforeAll(async () => {
  const l = lab();
  dir = mkdtempSync(join(tmpdir(), 'wdg-stack-'));
  slack = await SlackStandIn.forLab(l, join(dir, 'slack_webhook'));
  writeFileSync(join(dir, 'peer_token'), TOKEN);

  const t0 = Date.now();
  const built = await buildImage(l);
  const t1 = Date.now();
  await loadImage(l, built.tar);
  const t2 = Date.now();
  await deployStack(l, { image: built.image, webhookFile: join(dir, 'slack_webhook'), tokenFile: join(dir, 'peer_token') });
  const agents = await Promise.all(l.nodes.map((n) => agentOn(n.name)));
  await Promise.all(agents.map((c) => waitFor(`${c.node.name}: agent answers`, async () => (await agentGet(l, c, '/v1/stats')).status === 200, 60_000, 500)));
  await waitFor('node1 agent acts', async () => (await agentGet<{ acting: boolean }>(l, agents[0], '/v1/stats')).body.acting, 30_000, 500);
  console.log(
    `image ${built.image} (${Math.round(built.size / 2 ** 20)} MiB): build ${t1 - t0} ms, load on ${l.nodes.length} nodes ${t2 - t1} ms, deploy → agents answering ${Date.now() - t2} ms`,
  );
}, 900_000);

/** Keeps every agent container's output in the test's directory (containers go with the service). */
async function saveLogs(print = false): Promise<void> {
  for (const c of seen.values()) {
    const file = join(dir, `${c.node.name}-${c.id.slice(0, 12)}.log`);
    const text = await containerText(lab(), c.node, c.id).catch(() => undefined);
    if (text !== undefined) writeFileSync(file, text);
    if (print) console.log(`agent log: ${file}`);
  }
}

afterAll(async () => {
  await slack?.stop();
  await saveLogs(true);
});

describe('the stack on the lab', () => {
  it('alerts, rebalances after the heal, ends healthy, and the replaced agent loses or repeats no journal entry', async () => {
    const l = lab();
    await createService(l, { name: 'web', replicas: 6 });
    await waitForSpread(l, 'web', { node1: 2, node2: 2, node3: 2 }, 60_000);
    const before = await agentOn('node3');

    const events = await watchEvents(l, 'node1', { type: ['node'] });
    const cutAt = Date.now();
    await l.cut('node3');
    const down = await events.waitFor(isNodeStateEvent('node3', 'down'), 60_000, 'node3 down');
    const alert = await waitFor('the partition alert', async () => slack.delivered.find((m) => /partition/.test(m.body.text ?? '')), 60_000, 100);
    console.log(`cut → Down ${down.timeNano / 1e6 - cutAt} ms; cut → Slack alert ${alert.at - cutAt} ms`);
    expect(alert.body.text).toMatch(/node3/);

    await sleep(Math.max(0, cutAt + 40_000 - Date.now()));
    await l.heal('node3');
    await events.waitFor(isNodeStateEvent('node3', 'ready'), 60_000, 'node3 ready');
    const readyAt = Date.now();
    events.close();

    // Swarm leaves node3 empty; the acting agent (a container on node1) moves two tasks back.
    await waitForSpread(l, 'web', { node1: 2, node2: 2, node3: 2 }, 20_000 + 45_000);
    console.log(`heal → Ready → balanced ${Date.now() - readyAt} ms after Ready`);

    // Swarm replaced node3's agent task (Down shuts a global service's task down; Ready starts a new one).
    const after = await agentOn('node3', before.id);
    const resume = await waitFor('the successor resuming after the saved cursor', async () =>
      (await containerLines(l, 'node3', after.id)).find((x) => x.code === 'WDG-JOURNAL-007'), 60_000, 500);
    expect(resume.msg).toMatch(/resuming the journal after the saved cursor/);
    const old = await waitFor('the predecessor to have exited', async () => {
      const t = await containerTimes(l, 'node3', before.id);
      return t.finishedAt ? t : undefined;
    }, 30_000, 500);
    const oldLines = await containerLines(l, 'node3', before.id);
    expect(oldLines.some((x) => x.code === 'WDG-AGENT-001'), 'the predecessor stopped on SIGTERM and saved its state').toBe(true);
    const newLines = await containerLines(l, 'node3', after.id);
    const loaded = newLines.find((x) => x.code === 'WDG-CONFIG-001') as LogLine;
    const waited = newLines.filter((x) => x.code === 'WDG-STATE-003' || x.code === 'WDG-STATE-004');
    console.log(`node3 agent: predecessor exited ${new Date(old.finishedAt!).toISOString()}, successor loaded its state ${loaded.time}; entrypoint: ${waited.map((x) => x.msg).join(' | ') || '(no wait)'}`);
    // One reader at a time: the successor read the state only after the predecessor's last write.
    expect(Date.parse(String(loaded.time))).toBeGreaterThanOrEqual(old.finishedAt! - 1);

    // Slack: one alert for the partition, then the end and the rebalance.
    await waitFor('the rebalance message', async () => slack.delivered.some((m) => /rebalanced/.test(m.body.text ?? '')), 60_000, 500);
    const texts = slack.delivered.map((m) => m.body.text ?? '');
    expect(texts.filter((t) => t.startsWith(':rotating_light:'))).toHaveLength(1);
    expect(texts.some((t) => /web: node1:3 node2:3 node3:0 → node1:2 node2:2 node3:2/.test(t))).toBe(true);

    // The acting agent's incident: one partition of node3.
    const acting = await agentOn('node1');
    const { body } = await agentGet<{ incidents: Array<{ kind: string; nodes: string[] }> }>(l, acting, '/v1/incidents');
    expect(body.incidents.filter((i) => i.kind === 'partition')).toMatchObject([{ kind: 'partition', nodes: ['node3'] }]);

    // Every agent healthy at the end (asked inside each container: the port is on the overlay only).
    for (const n of l.nodes) {
      const c = await agentOn(n.name);
      const health = await waitFor(`${n.name}: /health/status 200`, async () => {
        const h = await agentGet<Array<{ Name: string; Status: string }>>(l, c, '/health/status');
        return h.status === 200 ? h.body : undefined;
      }, 60_000, 1000);
      expect(health.map((e) => e.Status).every((s) => s === 'OK')).toBe(true);
      const docker = await l.dockerode(n).getContainer(c.id).inspect();
      expect(docker.State.Health?.Status, `${n.name}: Docker's health check`).not.toBe('unhealthy');
    }

    // Exactly once: remove the service (every agent stops on SIGTERM and saves its state), then compare
    // each node's state with journalctl's own count from its first handled entry to its saved cursor.
    await saveLogs();
    await l.docker('node1', ['service', 'rm', SERVICE]);
    for (const n of l.nodes) await waitFor(`${n.name}: agent stopped`, async () => !(await agentContainer(l, n)), 60_000, 500);
    for (const n of l.nodes) {
      const state = savedState(l, n);
      const all = await l.journal(n.name);
      const first = all.findIndex((e) => e.__CURSOR === state.firstCursor);
      const last = all.findIndex((e) => e.__CURSOR === state.cursor);
      expect(first, `${n.name}: first cursor found in the journal`).toBeGreaterThanOrEqual(0);
      expect(last, `${n.name}: saved cursor found in the journal`).toBeGreaterThan(first);
      console.log(`${n.name}: agents handled ${state.handled}, journalctl counts ${last - first + 1}`);
      expect(state.handled).toBe(last - first + 1);
      if (n.name === 'node3') {
        // The successor started exactly where the predecessor's saved state ended.
        const at = all.findIndex((e) => e.__CURSOR === resume.cursor);
        expect(at, 'the resume cursor is in the journal').toBeGreaterThan(first);
        expect(resume.handled).toBe(at - first + 1);
      }
    }
  });
});
