import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StateFile } from '../adapters/state-file.js';
import type { Incident, IncidentChange } from '../correlate/types.js';
import { silentLogger } from '../log/logger.js';
import type { DeliveryQueue } from './delivery-queue.js';
import { Notifier, type NotifierState } from './notifier.js';

const t = Date.parse('2026-11-22T11:20:58Z');
const incident = (over: Partial<Incident> = {}): Incident => ({
  id: 'inc-1', kind: 'partition', nodes: ['node3'], start: t, end: null, evidence: [{ node: 'node3', time: t, rule: 'heartbeat-failed', message: 'heartbeat to manager failed' }],
  evidenceCount: 1, tasksMoved: [], servicesAffected: [], reconnects: [], storm: false, summary: 'node3 lost its manager session', lastActivityAt: t, ...over,
});
const change = (c: IncidentChange['change'], i: Incident): IncidentChange => ({ change: c, incident: i });

function setup(canWait: 'summary' | 'webhook' = 'summary') {
  const posted: Array<{ queue: string; id: string; text?: string }> = [];
  const fake = (queue: string) => ({ enqueue: (id: string, m: { text?: string }) => posted.push({ queue, id, text: m.text }) }) as unknown as DeliveryQueue;
  const store = new StateFile<NotifierState>(join(mkdtempSync(join(tmpdir(), 'wdg-notify-')), 'alerts.json'));
  const make = () => new Notifier({ main: fake('main'), canWait: fake('canWait') }, { canWait: () => canWait, next: () => ({ autoRebalance: true, stabilizationMs: 60_000 }) }, store, silentLogger());
  return { posted, make };
}

describe('notifier', () => {
  it('posts one immediate alert per serious incident, once it moved tasks, then its end', () => {
    const { posted, make } = setup();
    const n = make();
    n.incidentChanged(change('opened', incident()), true); // session lost only: not yet worth waking anyone
    expect(posted).toEqual([]);
    const moved = incident({ markedDownAt: t + 12_000, tasksMoved: [{ service: 'web', from: 'node3', to: 'node1', count: 2 }] });
    n.incidentChanged(change('updated', moved), true);
    n.incidentChanged(change('updated', moved), true);
    n.incidentChanged(change('updated', moved), false);
    expect(posted.map((p) => p.id)).toEqual(['inc-1:opened']);
    expect(posted[0].text).toMatch(/partition — node3 lost its manager session\nNext: rebalance after 60 s of stability/);
    // A restarted agent remembers what it posted.
    const again = make();
    again.incidentChanged(change('updated', moved), true);
    again.incidentChanged(change('ended', { ...moved, end: t + 40_000 }), true);
    again.incidentChanged(change('ended', { ...moved, end: t + 40_000 }), true);
    expect(posted.map((p) => p.id)).toEqual(['inc-1:opened', 'inc-1:ended']);
  });

  it('sends nothing from agents that do not act', () => {
    const { posted, make } = setup();
    make().incidentChanged(change('opened', incident({ markedDownAt: t })), false);
    expect(posted).toEqual([]);
  });

  it('routes can-wait incidents to the second webhook when configured, else keeps them for the summary', () => {
    const flapping = incident({ id: 'inc-2', kind: 'flapping', end: t + 5000 });
    const hooked = setup('webhook');
    hooked.make().incidentChanged(change('ended', flapping), true);
    expect(hooked.posted.map((p) => [p.queue, p.id])).toEqual([['canWait', 'inc-2:can-wait']]);
    const summary = setup('summary');
    summary.make().incidentChanged(change('ended', flapping), true);
    expect(summary.posted).toEqual([]);
  });

  it('posts rebalance results and the local alert once', () => {
    const { posted, make } = setup();
    const n = make();
    n.rebalanceDone([{ service: 'web', before: { node1: 3, node2: 3, node3: 0 }, after: { node1: 2, node2: 2, node3: 2 } }], 'inc-1');
    n.managersUnreachable('node3', 130_000);
    n.managersUnreachable('node3', 140_000);
    expect(posted.map((p) => p.text?.split('\n')[0])).toEqual([
      ':balance_scale: rebalanced 1 service(s)',
      expect.stringContaining("node3 cannot reach the Swarm managers' watchdog for 130 s"),
    ]);
    expect(posted[0].text).toContain('web: node1:3 node2:3 node3:0 → node1:2 node2:2 node3:2');
  });

  it('follows an alerted incident that grows to more nodes with one message per new node set, across a restart', () => {
    const { posted, make } = setup();
    const down = incident({ markedDownAt: t + 12_000 });
    make().incidentChanged(change('opened', down), true);
    const both = { ...down, nodes: ['node3', 'node4'], summary: 'node3, node4 partitioned' };
    const again = make(); // the restarted agent knows which nodes were alerted
    again.incidentChanged(change('updated', both), true);
    again.incidentChanged(change('updated', both), true);
    again.incidentChanged(change('updated', { ...both, nodes: ['node3', 'node4', 'node5'] }), false);
    again.incidentChanged(change('ended', { ...both, end: t + 60_000 }), true);
    expect(posted.map((p) => p.id)).toEqual(['inc-1:opened', 'inc-1:nodes:node3,node4', 'inc-1:ended']);
    expect(posted[1].text).toMatch(/^:heavy_plus_sign: partition now also on node4 \(nodes: node3, node4\)/);
  });

  it('stops following a storm after five new node sets: the end message lists them all', () => {
    const { posted, make } = setup();
    const n = make();
    const nodes: string[] = ['node1'];
    n.incidentChanged(change('opened', incident({ nodes: [...nodes], markedDownAt: t })), true);
    for (let i = 2; i <= 9; i++) {
      nodes.push(`node${i}`);
      n.incidentChanged(change('updated', incident({ nodes: [...nodes], markedDownAt: t })), true);
    }
    expect(posted.filter((p) => p.id.includes(':nodes:'))).toHaveLength(5);
  });
});
