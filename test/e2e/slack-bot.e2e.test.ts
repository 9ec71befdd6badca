// Slack bot mode on a real swarm (three managers, one worker, an agent per node) against the Web API
// stand-in: no notice for a quiet cluster, a cut shorter than the hold or a daemon restart; then a
// worker cut long enough for Swarm to mark it Down gets a first notice before the Down, and — through
// a change of acting agent (the leader demoted) and a restart of the acting agent — the channel ends
// with that one message, edited to the incident's end state, its thread holding each change once.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep, waitFor } from '../lab/lab.js';
import { useLab } from '../lab/use-lab.js';
import { createService, isNodeStateEvent, waitForNodeState, waitForSpread, watchEvents } from '../lab/swarm.js';
import { actingAgent, agentsFor, stopAgents, type AgentProcess } from '../support/agents.js';
import { SlackStandIn } from '../support/slack-standin.js';

const lab = useLab({ nodes: 4, managers: 3 });
let agents: AgentProcess[] = [];
let slack: SlackStandIn;

const HOLD_MS = 2000;
/** Shorter than gossip's failure detection plus the hold: gossip may suspect node4, never for long. */
const SHORT_CUT_MS = 4000;


const posts = () => slack.api.calls.filter((c) => c.method === 'chat.postMessage' && c.args.thread_ts === undefined && c.answer.ok === true);

beforeAll(async () => {
  const l = lab();
  const dir = mkdtempSync(join(tmpdir(), 'wdg-bot-'));
  const bot = await SlackStandIn.botForLab(l, dir);
  slack = bot.slack;
  agents = agentsFor(l, {
    dir,
    config: {
      alerts: { slack: { tokenFile: bot.tokenFile, channelFile: bot.channelFile, apiUrl: slack.apiUrl }, firstNotice: { hold: `${HOLD_MS / 1000}s` } },
      rebalance: { stabilization: '15s', cooldown: '5s' },
      correlate: { quiet: '20s' },
    },
  });
  for (const a of agents) a.start();
  await Promise.all(agents.map((a) => a.ready()));
  await waitFor('node1 agent acts', async () => (await actingAgent(agents))?.node.name === 'node1', 30_000, 500);
  await waitFor('auth.test', async () => slack.api.calls.some((c) => c.method === 'auth.test' && c.answer.ok), 10_000, 200);
}, 120_000);

afterAll(async () => {
  await stopAgents(agents);
  await slack?.stop();
});

describe('Slack bot mode', () => {
  it('no notice for a quiet cluster, a cut shorter than the hold, or a daemon restart', async () => {
    const l = lab();
    await createService(l, { name: 'web', replicas: 8 });
    await waitForSpread(l, 'web', { node1: 2, node2: 2, node3: 2, node4: 2 }, 60_000);
    await sleep(5000); // quiet
    await l.stopDaemon('node4');
    await l.startDaemon('node4');
    await waitForNodeState(l, 'node4', 'ready', 60_000);
    await l.cut('node4');
    await sleep(SHORT_CUT_MS);
    await l.heal('node4');
    // the restart's incident ends first: a cut joined to it would be part of the restart
    await waitFor('no open incident', async () => (await agents[0]!.get<{ incidents: Array<{ end: string | null }> }>('/v1/incidents')).body.incidents.every((i) => i.end !== null), 60_000, 1000);
    expect(posts().map((c) => c.args.text)).toEqual([]);
    expect(agents[0]!.lines.filter((x) => x.code === 'WDG-SLACK-006')).toEqual([]);
  });

  it('one message per incident: first notice before Down, edited to the end state through a new acting agent and a restart', async () => {
    const l = lab();
    await waitForSpread(l, 'web', (s) => Object.values(s).reduce((a, b) => a + b, 0) === 8 && s.node4 === 2, 60_000);
    const from = slack.api.messages.length;
    const events = await watchEvents(l, 'node3', { type: ['node'] });
    const cutAt = Date.now();
    await l.cut('node4');
    const notice = await waitFor('the first notice', async () => posts().find((c) => /node4 unreachable/.test(String(c.args.text))), 30_000, 50);
    const down = await events.waitFor(isNodeStateEvent('node4', 'down'), 60_000, 'node4 down');
    const downAt = down.timeNano / 1e6;
    const ratio = (notice.at - cutAt) / (downAt - cutAt);
    // the 0.7 goal is a lab figure (gossip's failure detection and Swarm's heartbeat both jitter), not a pass mark
    console.log(`cut → first notice ${notice.at - cutAt} ms; cut → Down ${Math.round(downAt - cutAt)} ms; ratio ${ratio.toFixed(2)} (goal ≤ 0.70)`);
    expect(notice.at).toBeLessThan(downAt);
    await waitFor('the notice turned into the alert', async () => slack.api.messages[from]?.text.startsWith(':rotating_light:'), 30_000, 200);
    const alertAt = slack.api.calls.find((c) => c.method === 'chat.update' && String(c.args.text).startsWith(':rotating_light:'))!.at;
    console.log(`cut → alert (message updated) ${alertAt - cutAt} ms`);

    // the acting agent restarts in the middle of the partition
    await agents[0]!.stop();
    agents[0]!.start();
    await agents[0]!.ready();
    await sleep(Math.max(0, cutAt + 30_000 - Date.now()));
    await l.heal('node4');
    await events.waitFor(isNodeStateEvent('node4', 'ready'), 60_000, 'node4 ready');
    events.close();
    const first = () => slack.api.messages[from]!;
    await waitFor('the rebalance in the thread', async () => slack.api.thread(first().ts).some((r) => r.startsWith('Rebalanced')), 90_000, 500);

    // a new acting agent before the incident ends: the leader is demoted, leadership moves
    await l.docker('node2', ['node', 'demote', 'node1']);
    const acting = await waitFor('a new acting agent', async () => {
      const a = await actingAgent(agents);
      return a && a.node.name !== 'node1' ? a : undefined;
    }, 60_000, 200);
    console.log(`new acting agent: ${acting.node.name}`);
    const message = await waitFor('the end state with the rebalance', async () => {
      const m = slack.api.messages[from];
      return m && m.text.startsWith(':white_check_mark:') && /Rebalanced/.test(m.text) ? m : undefined;
    }, 150_000, 1000);
    await sleep(5000); // nothing more may follow
    const thread = slack.api.thread(message.ts);
    console.log(`message history:\n${message.history.join('\n---\n')}\nthread:\n${thread.join('\n')}`);
    expect(slack.api.messages.slice(from).map((m) => m.ts)).toEqual([message.ts]); // one message for the incident
    expect(message.history[0]).toMatch(/^:warning: node4 unreachable/);
    expect(message.text).toMatch(/ended after \d+ s/);
    expect(message.text).toContain('node4');
    expect(new Set(thread).size).toBe(thread.length); // each change once
    expect(thread).toEqual(expect.arrayContaining([expect.stringMatching(/^Swarm marked .*node4.* Down at/), expect.stringMatching(/^Ended after/), expect.stringMatching(/^Rebalanced: web: /)]));
    expect(slack.api.calls.filter((c) => c.method === 'chat.update').every((c) => c.answer.ok)).toBe(true);
  });
});
