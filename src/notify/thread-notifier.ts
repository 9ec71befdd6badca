// Bot mode's decisions: one Slack message per incident, posted once and edited as it changes, and one
// reply in its thread per change. A first notice (gossip says a node failed) opens the thread early;
// the incident that follows takes it over, or the node comes back and the notice says so.
import type { Incident, IncidentChange } from '../correlate/types.js';
import type { Logger } from '../log/logger.js';
import type { Summary } from '../operate/summary.js';
import type { DeliveryQueue } from './delivery-queue.js';
import { priorityOf, type NextStep, type ServiceResult } from './messages.js';
import type { SlackOp, ThreadTs } from './slack-bot.js';
import { changesOf, noticeMessage, recoveredMessage, threadMessage, type ThreadMessage } from './thread-messages.js';
import { mergeIncident, type Thread, type Threads } from './threads.js';

export interface ThreadNotifierOptions {
  next: () => NextStep;
  /** Evidence this close in time is one event (correlate.window). */
  windowMs: () => number;
  now: () => number;
  /** A can-wait incident with no thread: to a second webhook, or left for the daily summary. */
  canWait?: (incident: Incident) => void;
}

export class ThreadNotifier implements ThreadTs {
  /** Threads changed since the other agents last got a copy. */
  dirty = false;

  constructor(
    private readonly queue: () => DeliveryQueue<SlackOp> | undefined,
    private readonly threads: Threads,
    private readonly opts: ThreadNotifierOptions,
    private readonly log: Logger,
  ) {}

  ts(thread: string): string | undefined {
    return this.threads.get(thread)?.ts;
  }

  posted(thread: string, ts: string): void {
    const t = this.threads.get(thread);
    if (!t) return;
    t.ts = ts;
    this.changed(t);
  }

  incidentChanged({ change, incident }: IncidentChange, acting: boolean): void {
    if (!acting) return;
    let t = this.threads.find(incident, this.opts.windowMs());
    if (!t) {
      if (priorityOf(incident) !== 'immediate' || change === 'ended') {
        if (change === 'ended') this.opts.canWait?.(incident);
        return;
      }
      t = this.threads.open({ key: incident.id, nodes: incident.nodes, start: incident.start, state: 'open', incident, updatedAt: this.opts.now() });
      t.said = changesOf(incident).map((c) => c.key); // the first message says all of it
    }
    if (!t.ids.includes(incident.id)) t.ids.push(incident.id);
    // the first incident in a thread names it; later ones (other agents' views) add what they saw
    const foreign = t.ids[0] !== incident.id;
    t.incident = t.incident ? mergeIncident(t.incident, incident, { foreign }) : incident;
    t.nodes = t.incident.nodes;
    if (t.incident.end !== null) {
      t.state = 'ended';
      t.end = t.incident.end;
    } else if (t.state !== 'open') {
      t.state = 'open';
      t.end = null;
    }
    this.publish(t);
  }

  /** Gossip says `node` failed `since` and it has not come back: warn, unless a thread already covers it. */
  nodeUnreachable(node: string, since: number, now: number): void {
    if (this.threads.activeFor(node) || this.threads.find({ id: '', nodes: [node], start: since }, this.opts.windowMs())) return;
    const t = this.threads.open({ key: `notice:${node}:${since}`, nodes: [node], start: since, state: 'warning', updatedAt: now });
    this.log.log('WDG-SLACK-006', `first notice: ${node} unreachable for ${Math.round((now - since) / 1000)} s`, { node, since: new Date(since).toISOString() });
    this.send(t, noticeMessage(node, since, now));
  }

  /** The node came back before Swarm gave a verdict: the notice says so (and the daily summary lists it). */
  nodeBack(node: string, since: number, back: number): void {
    const t = this.threads.activeFor(node);
    if (!t || t.state !== 'warning') return;
    t.state = 'recovered';
    t.end = back;
    this.reply(t, { key: `recovered:${node}`, text: `${node} back at ${new Date(back).toISOString().slice(11, 19)} UTC, no action` });
    this.send(t, recoveredMessage(node, since, back));
  }

  rebalanceDone(results: ServiceResult[], incidentId?: string): void {
    const t = incidentId ? this.threads.all().find((x) => x.ids.includes(incidentId)) : undefined;
    if (!t || !results.length) {
      if (results.length) this.standalone(`rebalance:${incidentId ?? this.opts.now()}`, { text: `:balance_scale: rebalanced ${results.length} service(s)`, blocks: [] });
      return;
    }
    t.rebalance = results;
    this.publish(t);
  }

  /** A message outside any incident (the daily summary, a cut-off worker's local alert). */
  standalone(key: string, message: ThreadMessage): void {
    this.threads.open({ key, nodes: [], start: this.opts.now(), state: 'ended', updatedAt: this.opts.now() }).end = this.opts.now();
    this.enqueue({ kind: 'message', thread: key, ...message });
  }

  /** Recovered first notices within [from, to]: for the daily summary. */
  recovered(from: number, to: number): Thread[] {
    return this.threads.all().filter((t) => t.state === 'recovered' && t.end !== null && t.end >= from && t.start <= to);
  }

  /** The daily summary with the period's recovered first notices folded in, one line each. */
  withNotices(s: Summary): Summary {
    const notices = this.recovered(Date.parse(s.from), Date.parse(s.to)).map((t) => ({
      id: t.key,
      kind: 'first-notice',
      nodes: t.nodes,
      start: new Date(t.start).toISOString(),
      end: new Date(t.end!).toISOString(),
      summary: `${t.nodes.join(', ')} unreachable for ${Math.round((t.end! - t.start) / 1000)} s at ${new Date(t.start).toISOString().slice(11, 19)}, recovered before Swarm marked it Down, no action`,
    }));
    return notices.length ? { ...s, incidents: [...s.incidents, ...notices].sort((a, b) => a.start.localeCompare(b.start)) } : s;
  }

  /** The parent message in its current state, and a reply for each change not yet said. */
  private publish(t: Thread): void {
    const message = threadMessage(t, this.opts.next());
    if (!t.incident || !message) return;
    t.kind ??= t.incident.kind;
    if (t.incident.kind !== t.kind) this.reply(t, { key: `kind:${t.incident.kind}`, text: `Now a ${t.incident.kind} of ${t.incident.nodes.join(', ')}` });
    for (const c of changesOf(t.incident, t.rebalance)) this.reply(t, c);
    this.send(t, message);
  }

  private reply(t: Thread, change: { key: string; text: string }): void {
    if (t.said.includes(change.key)) return;
    t.said.push(change.key);
    this.enqueue({ kind: 'reply', thread: t.key, text: change.text }, `${t.key}:reply:${change.key}`);
  }

  private send(t: Thread, message: ThreadMessage): void {
    this.enqueue({ kind: 'message', thread: t.key, ...message });
    this.changed(t);
  }

  private enqueue(op: SlackOp, id = `${op.thread}:message`): void {
    const queue = this.queue();
    if (!queue) return this.log.debug('no Slack bot configured: message not posted', { id, text: op.text });
    // a parent not posted yet keeps its place before its replies; only its content is the newest
    queue.enqueue(id, op, { replace: op.kind === 'message' });
  }

  private changed(t: Thread): void {
    t.updatedAt = Math.max(t.updatedAt, this.opts.now());
    this.dirty = true;
    try {
      this.threads.save();
    } catch (err) {
      this.log.log('WDG-STATE-002', `cannot save the Slack threads: ${(err as Error).message}`);
    }
  }
}
