// Cut → Slack alert on the lab: a worker's link goes down until the partition alert arrives, then it is
// healed and the incident left to end (and the rebalance to run) before the next cut.
import { sleep, waitFor, type Lab } from '../../test/lab/lab.js';
import { isNodeStateEvent, watchEvents } from '../../test/lab/swarm.js';
import type { SlackStandIn } from '../../test/support/slack-standin.js';

export interface CutTiming {
  /** Cut → the manager's node event state.new=down. */
  downMs: number;
  /** Cut → the partition message at the Slack stand-in. */
  alertMs: number;
}

async function oneCut(lab: Lab, slack: SlackStandIn, node: string): Promise<CutTiming> {
  const events = await watchEvents(lab, 'node1', { type: ['node'] });
  try {
    const cutAt = Date.now();
    await lab.cut(node);
    const down = await events.waitFor(isNodeStateEvent(node, 'down'), 90_000, `${node} down`);
    const alert = await waitFor('the partition alert', async () => slack.delivered.find((m) => m.at > cutAt && /partition/.test(m.body.text ?? '')), 90_000, 100);
    await sleep(Math.max(0, cutAt + 25_000 - Date.now())); // a real partition: the tasks moved
    const healAt = Date.now();
    await lab.heal(node);
    await events.waitFor((e) => e.timeNano / 1e6 > healAt - 1000 && isNodeStateEvent(node, 'ready')(e), 90_000, `${node} ready`);
    await waitFor('the incident ended', async () => slack.delivered.some((m) => m.at > healAt && /ended/.test(m.body.text ?? '')), 120_000, 500);
    await waitFor('the rebalance', async () => slack.delivered.some((m) => m.at > healAt && /rebalanced/.test(m.body.text ?? '')), 60_000, 500).catch(() => undefined);
    return { downMs: down.timeNano / 1e6 - cutAt, alertMs: alert.at - cutAt };
  } finally {
    events.close();
  }
}

export async function measureCuts(lab: Lab, slack: SlackStandIn, node: string, count: number, log: (text: string) => void): Promise<CutTiming[]> {
  const out: CutTiming[] = [];
  for (let i = 0; i < count; i++) {
    const t = await oneCut(lab, slack, node);
    log(`cut ${i + 1}/${count} of ${node}: Down after ${(t.downMs / 1000).toFixed(1)} s, Slack alert after ${(t.alertMs / 1000).toFixed(1)} s`);
    out.push(t);
    await sleep(10_000);
  }
  return out;
}
