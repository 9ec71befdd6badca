import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StateFile } from '../adapters/state-file.js';
import type { Incident, IncidentChange } from '../correlate/types.js';
import { silentLogger } from '../log/logger.js';
import type { DeliveryQueue } from './delivery-queue.js';
import type { SlackOp } from './slack-bot.js';
import { ThreadNotifier } from './thread-notifier.js';
import { Threads, type ThreadsState } from './threads.js';

const t = Date.parse('2026-11-22T11:20:58Z');
const incident = (over: Partial<Incident> = {}): Incident => ({
  id: 'inc-1', kind: 'partition', nodes: ['node3'], start: t + 5000, end: null, evidence: [], evidenceCount: 1, tasksMoved: [], servicesAffected: [],
  reconnects: [], storm: false, summary: 'node3 lost its manager session', lastActivityAt: t + 5000, ...over,
});
const change = (c: IncidentChange['change'], i: Incident): IncidentChange => ({ change: c, incident: i });
const down = (over: Partial<Incident> = {}) => incident({ markedDownAt: t + 12_000, evidence: [{ node: 'node3', time: t + 12_000, rule: 'node-state', message: 'node3 ready → down' }], tasksMoved: [{ service: 'web', from: 'node3', to: 'node1', count: 2 }], ...over });

/** A Slack channel as the queue would leave it: parents posted once then edited, replies in order. */
class Channel {
  parents = new Map<string, string[]>();
  replies = new Map<string, string[]>();
  queue = {
    enqueue: (id: string, op: SlackOp) => {
      if (op.kind === 'message') this.parents.set(op.thread, [...(this.parents.get(op.thread) ?? []), op.text]);
      else this.replies.set(op.thread, [...(this.replies.get(op.thread) ?? []), op.text]);
    },
  } as unknown as DeliveryQueue<SlackOp>;
}

function agent(dir: string, channel: Channel, now = () => t + 60_000) {
  const threads = new Threads(new StateFile<ThreadsState>(join(dir, 'slack-threads.json')));
  threads.load();
  const n = new ThreadNotifier(() => channel.queue, threads, { next: () => ({ autoRebalance: true, stabilizationMs: 60_000 }), windowMs: () => 90_000, now }, silentLogger());
  return { n, threads };
}

describe('bot-mode threads', () => {
  it('a first notice becomes the incident, through a restart and a new acting agent: one message, each change once', () => {
    const ch = new Channel();
    const dirA = mkdtempSync(join(tmpdir(), 'wdg-thr-a-'));
    const a = agent(dirA, ch);
    a.n.nodeUnreachable('node3', t + 4000, t + 7000);
    a.n.posted('notice:node3:' + (t + 4000), '1700000000.000001');
    a.n.incidentChanged(change('opened', incident()), true); // session lost only: not immediate, but the thread is there
    a.n.incidentChanged(change('updated', down()), true);
    a.n.incidentChanged(change('updated', down()), true); // same again: no new reply

    const restarted = agent(dirA, ch);
    restarted.n.incidentChanged(change('updated', down()), true);
    // the same agent's incident grows into a leader election (its nodes with it): said once, recovery once
    const grown = down({ kind: 'leader-election', nodes: ['node3', 'node1'], summary: 'the Raft managers held a leader election', recoveredAt: t + 30_000 });
    restarted.n.incidentChanged(change('updated', grown), true);
    restarted.n.incidentChanged(change('updated', { ...grown, nodes: ['node3', 'node1', 'node2'] }), true);

    // another agent acts: it got the threads from the first, and has its own id and view of the incident
    const b = agent(mkdtempSync(join(tmpdir(), 'wdg-thr-b-')), ch);
    b.threads.merge(restarted.threads.all());
    // (a leader election around the partition, in that agent's view: it adds the recovery, not its kind or nodes)
    const theirs = incident({ id: 'other-7', kind: 'leader-election', nodes: ['node3', 'node2'], storm: true, start: t + 14_000, recoveredAt: t + 40_000 });
    b.n.incidentChanged(change('opened', theirs), true);
    b.n.incidentChanged(change('ended', { ...theirs, end: t + 40_000 }), true);
    b.n.rebalanceDone([{ service: 'web', before: { node1: 4, node3: 0 }, after: { node1: 2, node3: 2 } }], 'other-7');

    expect([...ch.parents.keys()]).toEqual([`notice:node3:${t + 4000}`]); // one message
    const texts = ch.parents.get(`notice:node3:${t + 4000}`)!;
    expect(texts[0]).toMatch(/^:warning: node3 unreachable for 3 s/);
    expect(texts.at(-1)).toMatch(/^:white_check_mark: leader-election of node3, node1, node2 ended after \d+ s/);
    expect(texts.at(-1)).toContain('Rebalanced: web: node1:4 node3:0 → node1:2 node3:2');
    expect(ch.replies.get(`notice:node3:${t + 4000}`)).toEqual([
      'Swarm marked node3 Down at 11:21:10 UTC',
      '2 tasks of web moved from node3 to node1',
      'Now a leader-election of node3, node1',
      'node3, node1 back at 11:21:28 UTC',
      expect.stringMatching(/^Ended after \d+ s$/),
      'Rebalanced: web: node1:4 node3:0 → node1:2 node3:2',
    ]);
    expect(b.threads.get(`notice:node3:${t + 4000}`)?.ts).toBe('1700000000.000001');
  });

  it('a node back before the verdict: the notice says "recovered, no action" and is kept for the summary', () => {
    const ch = new Channel();
    const a = agent(mkdtempSync(join(tmpdir(), 'wdg-thr-')), ch);
    // a daemon restart of node2 just before: its incident is another event, it does not take the thread
    const restart = incident({ id: 'inc-r', kind: 'daemon-restart', nodes: ['node2'], start: t - 20_000, recoveredAt: t - 15_000 });
    a.n.nodeUnreachable('node2', t, t + 3000);
    a.n.incidentChanged(change('updated', restart), true);
    a.n.incidentChanged(change('ended', { ...restart, end: t - 15_000 }), true);
    a.n.nodeUnreachable('node2', t, t + 4000); // once
    a.n.nodeBack('node2', t, t + 8000);
    const texts = [...ch.parents.values()];
    expect(texts).toHaveLength(1);
    expect(texts[0]).toHaveLength(2); // the warning, then the recovery
    expect([...ch.replies.values()]).toEqual([['node2 back at 11:21:06 UTC, no action']]);
    expect(texts[0]!.at(-1)).toMatch(/^:large_green_circle: node2 recovered, no action — unreachable for 8 s/);
    expect(a.n.recovered(t, t + 60_000).map((x) => x.nodes)).toEqual([['node2']]);
    const daily = a.n.withNotices({ from: new Date(t - 1000).toISOString(), to: new Date(t + 86_400_000).toISOString(), codes: [], incidents: [] });
    expect(daily.incidents).toEqual([expect.objectContaining({ kind: 'first-notice', nodes: ['node2'], summary: 'node2 unreachable for 8 s at 11:20:58, recovered before Swarm marked it Down, no action' })]);
  });

  it('a serious incident without a notice is posted once, complete, with no replies for what it already says', () => {
    const ch = new Channel();
    const a = agent(mkdtempSync(join(tmpdir(), 'wdg-thr-')), ch);
    a.n.incidentChanged(change('opened', incident()), true); // not immediate, no thread: nothing
    expect(ch.parents.size).toBe(0);
    a.n.incidentChanged(change('updated', down()), true);
    a.n.incidentChanged(change('updated', down()), false); // not acting: nothing
    expect([...ch.parents.values()].map((p) => p.length)).toEqual([1]);
    expect(ch.replies.size).toBe(0);
    expect([...ch.parents.values()][0]![0]).toMatch(/^:rotating_light: partition/);
  });
});
