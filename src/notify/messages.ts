// Slack messages (Block Kit with a plain-text fallback) built from incidents and rebalance results. Pure.
import type { Incident } from '../correlate/types.js';
import type { SlackMessage } from './webhook.js';

export type Priority = 'immediate' | 'can-wait';

const iso = (t: number) => new Date(t).toISOString().replace('.000Z', 'Z');

/** Immediate: a partition, leader loss or reboot that moved tasks or got a node marked Down. The rest can wait. */
export function priorityOf(i: Incident): Priority {
  const serious = i.kind === 'partition' || i.kind === 'leader-election' || i.kind === 'host-reboot';
  return serious && (i.tasksMoved.length > 0 || i.markedDownAt !== undefined) ? 'immediate' : 'can-wait';
}

export interface NextStep {
  autoRebalance: boolean;
  stabilizationMs: number;
}

export function nextStep(i: Incident, next: NextStep): string {
  if (i.storm) return 'rebalancing holds: too many nodes unhealthy at once (storm gate)';
  if (i.kind !== 'partition' && i.kind !== 'leader-election' && i.kind !== 'host-reboot') return 'no action needed';
  if (!next.autoRebalance) return 'automatic rebalancing is off: run `watchdog rebalance --dry-run` after the heal';
  return `rebalance after ${Math.round(next.stabilizationMs / 1000)} s of stability once the node is back`;
}

/** Gossip lines are background: the lines that name the trouble (session, Down, moves, restarts) go first. */
function keyEvidence(i: Incident, max = 8): Incident['evidence'] {
  const noise = (rule: string) => /^(gossip|networkdb|bulk-sync)/.test(rule);
  const picked = [...i.evidence.filter((e) => !noise(e.rule)), ...i.evidence.filter((e) => noise(e.rule))].slice(0, max);
  return picked.sort((a, b) => a.time - b.time);
}

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const context = (text: string) => ({ type: 'context', elements: [{ type: 'mrkdwn', text }] });
const fields = (pairs: Array<[string, string]>) => ({ type: 'section', fields: pairs.map(([k, v]) => ({ type: 'mrkdwn', text: `*${k}*\n${v}` })) });

export function incidentOpenedMessage(i: Incident, next: NextStep): SlackMessage {
  const moved = i.tasksMoved.map((m) => `${m.count}× ${m.service}: ${m.from} → ${m.to}`);
  const evidence = keyEvidence(i).map((e) => `\`${iso(e.time).slice(11, 19)}\` *${e.node}* [${e.rule}] ${e.message.slice(0, 160)}`);
  const then = nextStep(i, next);
  const text = [`:rotating_light: ${i.kind} — ${i.summary}`, `Next: ${then}`].join('\n');
  return {
    text,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: `Swarm ${i.kind}: ${i.nodes.join(', ') || 'cluster'}` } },
      section(i.summary),
      fields([['Kind', i.kind], ['Nodes', i.nodes.join(', ') || '–'], ['Start', iso(i.start)], ['Storm', i.storm ? 'yes: rebalancing holds' : 'no']]),
      ...(moved.length ? [section(`*Tasks moved*\n${moved.join('\n')}`)] : []),
      ...(evidence.length ? [section(`*Evidence*\n${evidence.join('\n')}`)] : []),
      section(`*Next*: ${then}`),
      context(`incident ${i.id} · swarm-watchdog`),
    ],
  };
}

/** More nodes joined an alerted incident (no `:rotating_light:`: the incident was alerted once). */
export function incidentGrewMessage(i: Incident, added: string[]): SlackMessage {
  const text = `:heavy_plus_sign: ${i.kind} now also on ${added.join(', ')} (nodes: ${i.nodes.join(', ')}) — ${i.summary}`;
  return { text, blocks: [section(text), context(`incident ${i.id}`)] };
}

export function incidentEndedMessage(i: Incident): SlackMessage {
  const took = i.end !== null ? ` after ${Math.round((i.end - i.start) / 1000)} s` : '';
  const text = `:white_check_mark: ${i.kind} of ${i.nodes.join(', ') || 'the cluster'} ended${took} — ${i.summary}`;
  return { text, blocks: [section(text), context(`incident ${i.id}`)] };
}

export interface ServiceResult {
  service: string;
  before: Record<string, number>;
  after: Record<string, number>;
  error?: string;
}

const spread = (counts: Record<string, number>) =>
  Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)).map(([n, c]) => `${n}:${c}`).join(' ') || '–';

export function rebalanceMessage(results: ServiceResult[], incidentId?: string): SlackMessage {
  const failed = results.filter((r) => r.error);
  const head = failed.length
    ? `:x: rebalance failed for ${failed.length} of ${results.length} service(s)`
    : `:balance_scale: rebalanced ${results.length} service(s)`;
  const lines = results.map((r) => `• *${r.service}*: ${spread(r.before)} → ${spread(r.after)}${r.error ? ` — ${r.error}` : ''}`);
  return {
    text: [head, ...lines.map((l) => l.replace(/\*/g, ''))].join('\n'),
    blocks: [section(head), section(lines.join('\n') || 'nothing to move'), ...(incidentId ? [context(`after incident ${incidentId}`)] : [])],
  };
}

export function localAlertMessage(node: string, sinceMs: number): SlackMessage {
  const text = `:warning: ${node} cannot reach the Swarm managers' watchdog for ${Math.round(sinceMs / 1000)} s; it still reaches Slack. Its evidence is kept and will be delivered after the heal.`;
  return { text, blocks: [section(text)] };
}
