// Bot mode's texts: the parent message of a thread (a first notice, then the incident in its current
// state) and one short reply per change. Block Kit typed with @slack/types. Pure.
import type { KnownBlock } from '@slack/types';
import type { Incident } from '../correlate/types.js';
import { incidentOpenedMessage, nextStep, priorityOf, type NextStep, type ServiceResult } from './messages.js';
import type { Thread } from './threads.js';

export interface ThreadMessage {
  text: string;
  blocks: KnownBlock[];
}

export interface Change {
  /** Stable across agents and restarts: the same change has the same key. */
  key: string;
  text: string;
}

const hhmmss = (t: number) => new Date(t).toISOString().slice(11, 19);
const secs = (ms: number) => `${Math.max(0, Math.round(ms / 1000))} s`;
const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });
const context = (text: string): KnownBlock => ({ type: 'context', elements: [{ type: 'mrkdwn', text }] });
const spread = (counts: Record<string, number>) =>
  Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)).map(([n, c]) => `${n}:${c}`).join(' ') || '–';

export function noticeMessage(node: string, since: number, now: number): ThreadMessage {
  const text = `:warning: ${node} unreachable for ${secs(now - since)} — gossip marked it failed; Swarm will mark it Down if this lasts`;
  return { text, blocks: [section(text), context(`first notice · unreachable since ${hhmmss(since)} UTC · swarm-watchdog`)] };
}

export function recoveredMessage(node: string, since: number, back: number): ThreadMessage {
  const text = `:large_green_circle: ${node} recovered, no action — unreachable for ${secs(back - since)} (${hhmmss(since)}–${hhmmss(back)} UTC), back before Swarm marked it Down`;
  return { text, blocks: [section(text), context('folded into the daily summary · swarm-watchdog')] };
}

export function rebalanceLines(results: ServiceResult[]): string[] {
  return results.map((r) => `${r.service}: ${spread(r.before)} → ${spread(r.after)}${r.error ? ` — failed: ${r.error}` : ''}`);
}

/** The parent message: while it lasts the full alert, at the end its end state (and the rebalance). */
export function incidentMessage(i: Incident, next: NextStep, rebalance?: ServiceResult[]): ThreadMessage {
  const moved = rebalance?.length ? rebalanceLines(rebalance) : [];
  if (i.end === null) {
    const open = incidentOpenedMessage(i, next);
    const text = open.text ?? i.summary;
    const head = priorityOf(i) === 'immediate' ? text : text.replace(':rotating_light:', ':warning:');
    return { text: head, blocks: (open.blocks ?? []) as KnownBlock[] };
  }
  const failed = rebalance?.some((r) => r.error);
  const text = [
    `:white_check_mark: ${i.kind} of ${i.nodes.join(', ') || 'the cluster'} ended after ${secs(i.end - i.start)} — ${i.summary}`,
    moved.length ? `${failed ? 'Rebalance failed' : 'Rebalanced'}: ${moved.join('; ')}` : `Next: ${nextStep(i, next)}`,
  ].join('\n');
  return {
    text,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: `Ended: swarm ${i.kind} of ${i.nodes.join(', ') || 'cluster'}` } },
      section(text),
      context(`incident ${i.id} · ${hhmmss(i.start)}–${hhmmss(i.end)} UTC · swarm-watchdog`),
    ],
  };
}

/** Every change worth a reply, in the order they happened; the first message already says its own state. */
export function changesOf(i: Incident, rebalance?: ServiceResult[]): Change[] {
  const out: Array<Change & { at: number }> = [];
  if (i.markedDownAt !== undefined) {
    const downs = downNodes(i);
    out.push({ at: i.markedDownAt, key: `down:${downs.join(',') || i.nodes.join(',')}`, text: `Swarm marked ${downs.join(', ') || 'a node'} Down at ${hhmmss(i.markedDownAt)} UTC` });
  }
  const bySvc = new Map<string, { count: number; from: Set<string>; to: Set<string> }>();
  for (const m of i.tasksMoved) {
    const key = `${m.service}:${m.from}`;
    const s = bySvc.get(key) ?? { count: 0, from: new Set([m.from]), to: new Set() };
    s.count += m.count;
    s.to.add(m.to);
    bySvc.set(key, s);
  }
  // one reply per service and node it left; the message shows the count as it grows
  for (const [key, s] of bySvc) {
    const svc = key.slice(0, key.lastIndexOf(':'));
    out.push({ at: i.markedDownAt ?? i.start, key: `moved:${key}`, text: `${s.count} task${s.count === 1 ? '' : 's'} of ${svc} moved from ${[...s.from].join(', ')} to ${[...s.to].join(', ')}` });
  }
  for (const r of i.reconnects) out.push({ at: r.start, key: `reconnect:${r.service}:${r.code}`, text: `${r.tasks} tasks of ${r.service} reconnected (${r.code}) within ${secs(r.end - r.start)}` });
  if (i.recoveredAt !== undefined && (i.markedDownAt === undefined || i.recoveredAt > i.markedDownAt)) {
    out.push({ at: i.recoveredAt, key: 'recovered', text: `${i.nodes.join(', ')} back at ${hhmmss(i.recoveredAt)} UTC` });
  }
  if (i.end !== null) out.push({ at: i.end, key: 'ended', text: `Ended after ${secs(i.end - i.start)}` });
  if (rebalance?.length) out.push({ at: Number.MAX_SAFE_INTEGER, key: 'rebalance', text: `${rebalance.some((r) => r.error) ? 'Rebalance failed' : 'Rebalanced'}: ${rebalanceLines(rebalance).join('; ')}` });
  return out.sort((a, b) => a.at - b.at).map(({ key, text }) => ({ key, text }));
}

/** The nodes Swarm marked Down, from the incident's node-state evidence ("node4 ready → down"). */
export function downNodes(i: Incident): string[] {
  return [...new Set(i.evidence.filter((e) => e.rule === 'node-state' && /→ (down|disconnected)$/.test(e.message)).map((e) => e.node))];
}

/** What the parent message of a thread says now. */
export function threadMessage(t: Thread, next: NextStep): ThreadMessage | undefined {
  return t.incident ? incidentMessage(t.incident, next, t.rebalance) : undefined;
}
