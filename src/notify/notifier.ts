import { readState, type StateFile } from '../adapters/state-file.js';
import type { IncidentChange } from '../correlate/types.js';
import type { Logger } from '../log/logger.js';
import type { DeliveryQueue } from './delivery-queue.js';
import { incidentEndedMessage, incidentGrewMessage, incidentOpenedMessage, localAlertMessage, priorityOf, rebalanceMessage, type NextStep, type ServiceResult } from './messages.js';

export interface NotifierState {
  /** Incidents alerted (immediate) and whether their end was posted; bounded. */
  alerted: Array<{ id: string; ended: boolean; nodes?: string[]; grown?: number }>;
  localAlertSent?: boolean;
}

export interface NotifierOptions {
  /** Read on each use: a config reload may change it. */
  canWait: () => 'summary' | 'webhook';
  next: () => NextStep;
}

const MAX_REMEMBERED = 1000;
/** Follow-ups for nodes joining an alerted incident; past this (a storm) the end message lists them all. */
const MAX_GROWN = 5;

/**
 * Decides what goes to Slack: one immediate message per serious incident (however many agents saw
 * it: only the acting agent calls this with acting=true), its end, and rebalance results; can-wait
 * incidents go to the second webhook or wait for the daily summary.
 */
export class Notifier {
  private state: NotifierState;

  constructor(
    private readonly queues: { main?: DeliveryQueue; canWait?: DeliveryQueue },
    private readonly opts: NotifierOptions,
    private readonly store: StateFile<NotifierState>,
    private readonly log: Logger,
  ) {
    // An unusable file is kept aside and only risks a repeated alert.
    this.state = readState(store, 'alert state', log) ?? { alerted: [] };
  }

  incidentChanged({ change, incident }: IncidentChange, acting: boolean): void {
    if (!acting) return;
    const record = this.state.alerted.find((a) => a.id === incident.id);
    const priority = priorityOf(incident);
    if (priority === 'immediate' && !record && change !== 'ended') {
      this.post('main', `${incident.id}:opened`, incidentOpenedMessage(incident, this.opts.next()));
      this.state.alerted.push({ id: incident.id, ended: false, nodes: [...incident.nodes] });
      if (this.state.alerted.length > MAX_REMEMBERED) this.state.alerted.shift();
      this.save();
    } else if (change !== 'ended' && record && !record.ended) {
      this.grown(record, incident);
    } else if (change === 'ended' && record && !record.ended) {
      this.post('main', `${incident.id}:ended`, incidentEndedMessage(incident));
      record.ended = true;
      this.save();
    } else if (change === 'ended' && !record && priority === 'can-wait') {
      if (this.opts.canWait() === 'webhook') this.post('canWait', `${incident.id}:can-wait`, incidentEndedMessage(incident));
      else this.log.debug('can-wait incident kept for the daily summary', { incident: incident.id, kind: incident.kind });
    }
  }

  /** A webhook message cannot be edited: nodes that joined the incident after its alert get a follow-up. */
  private grown(record: NotifierState['alerted'][number], incident: IncidentChange['incident']): void {
    const known = record.nodes;
    record.nodes = [...incident.nodes];
    const added = known ? incident.nodes.filter((n) => !known.includes(n)) : []; // a record from before nodes were kept
    if (added.length && (record.grown ?? 0) < MAX_GROWN) {
      this.post('main', `${incident.id}:nodes:${incident.nodes.join(',')}`, incidentGrewMessage(incident, added));
      record.grown = (record.grown ?? 0) + 1;
    }
    if (added.length || !known) this.save();
  }

  rebalanceDone(results: ServiceResult[], incidentId?: string): void {
    if (results.length) this.post('main', `rebalance:${incidentId ?? Date.now()}`, rebalanceMessage(results, incidentId));
  }

  /** A worker cut off from the managers (but not from Slack) says so once. */
  managersUnreachable(node: string, sinceMs: number): void {
    if (this.state.localAlertSent) return;
    this.post('main', `local:${node}`, localAlertMessage(node, sinceMs));
    this.state.localAlertSent = true;
    this.save();
  }

  managersReachable(): void {
    if (!this.state.localAlertSent) return;
    this.state.localAlertSent = false;
    this.save();
  }

  private post(which: 'main' | 'canWait', id: string, message: Parameters<DeliveryQueue['enqueue']>[1]): void {
    const queue = this.queues[which];
    if (!queue) {
      this.log.debug('no webhook configured: message not posted', { id, text: message.text });
      return;
    }
    queue.enqueue(id, message);
  }

  private save(): void {
    try {
      this.store.write(this.state);
    } catch (err) {
      this.log.log('WDG-STATE-002', `cannot save alert state: ${(err as Error).message}`, { path: this.store.path });
    }
  }
}
