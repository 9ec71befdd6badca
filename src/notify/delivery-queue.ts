import type { Clock } from '../adapters/clock.js';
import type { Logger } from '../log/logger.js';
import type { Sender, SlackMessage } from './webhook.js';

export interface QueueOptions {
  /** Names the webhook in logs and metrics (never its URL). */
  name: string;
  size: number;
  maxRetries: number;
  /** At most one message per this many ms (Slack's limit for incoming webhooks is about 1/s). */
  minIntervalMs?: number;
  maxBackoffMs?: number;
}

export interface QueueStatus {
  pending: number;
  delivered: number;
  dropped: number;
  consecutiveFailures: number;
  lastError?: string;
  lastAttemptAt?: number;
}

interface Item<M> {
  id: string;
  message: M;
  attempts: number;
}

/**
 * A bounded queue per webhook: posting never blocks detection. One message in flight at a time,
 * Retry-After honoured on 429, backoff on failures, and a coded log line for every message dropped.
 */
export class DeliveryQueue<M extends { text?: string } = SlackMessage> {
  private readonly items: Item<M>[] = [];
  private busy = false;
  private lastSentAt = -Infinity;
  private timer?: { cancel(): void };
  /** Why nothing more is sent (dropAll). */
  private closed?: string;
  readonly status: QueueStatus = { pending: 0, delivered: 0, dropped: 0, consecutiveFailures: 0 };

  constructor(
    private sender: Sender<M>,
    private opts: QueueOptions,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly onResult: (result: 'delivered' | 'dropped') => void = () => {},
  ) {}

  /**
   * `replace`: a queued item with this id not yet in flight takes the new message in its place (a
   * message edited several times while Slack is slow is sent once, with its latest content).
   */
  enqueue(id: string, message: M, opts: { replace?: boolean } = {}): void {
    const queued = opts.replace ? this.items.findIndex((item, n) => item.id === id && !(n === 0 && this.busy)) : -1;
    if (queued >= 0) {
      this.items[queued]!.message = message;
      this.log.debug('alert replaced in the queue', { webhook: this.opts.name, id });
      return;
    }
    if (this.items.length >= this.opts.size) {
      const oldest = this.items.shift()!;
      this.drop(oldest, `queue full (${this.opts.size})`);
    }
    this.items.push({ id, message, attempts: 0 });
    this.status.pending = this.items.length;
    this.log.debug('alert queued', { webhook: this.opts.name, id, pending: this.items.length });
    this.schedule(0);
  }

  /** Messages not yet delivered, for persistence across a restart. */
  pending(): Array<{ id: string; message: M }> {
    return this.items.map(({ id, message }) => ({ id, message }));
  }

  /**
   * A config reload: later attempts use the new webhook and limits, the queued messages included; a
   * message waiting out a backoff is tried again at once (the new URL may be the fix).
   */
  reconfigure(sender: Sender<M>, opts: QueueOptions): void {
    this.sender = sender;
    this.opts = opts;
    const first = this.busy ? 1 : 0; // the message in flight finishes first
    while (this.items.length > Math.max(opts.size, first)) this.drop(this.items.splice(first, 1)[0]!, `queue shrunk to ${opts.size}`);
    this.status.pending = this.items.length;
    if (this.timer) {
      this.timer.cancel();
      this.timer = undefined;
      this.schedule(0);
    }
  }

  /** The webhook is gone (a reload removed it): every queued message is dropped, each with its coded line. */
  dropAll(why: string): void {
    this.closed = why;
    for (const item of this.items.splice(this.busy ? 1 : 0)) this.drop(item, why); // in flight: its answer decides
    this.status.pending = this.items.length;
    this.stop();
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  private schedule(delayMs: number): void {
    if (this.busy || this.timer || !this.items.length || this.closed) return;
    const spacing = this.lastSentAt + (this.opts.minIntervalMs ?? 1000) - this.clock.now();
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      void this.pump();
    }, Math.max(delayMs, spacing, 0));
  }

  private async pump(): Promise<void> {
    const item = this.items[0];
    if (!item || this.busy) return;
    this.busy = true;
    item.attempts++;
    this.lastSentAt = this.status.lastAttemptAt = this.clock.now();
    const result = await this.sender.send(item.message);
    this.busy = false;
    if (result.ok) {
      this.items.shift();
      this.status.delivered++;
      this.status.consecutiveFailures = 0;
      this.status.lastError = undefined;
      this.onResult('delivered');
      this.log.log('WDG-SLACK-001', 'alert delivered', { webhook: this.opts.name, id: item.id, attempts: item.attempts });
    } else {
      this.status.consecutiveFailures++;
      this.status.lastError = result.status ? `HTTP ${result.status}: ${result.error}` : result.error;
      const backoff = result.retryAfterMs ?? Math.min(1000 * 2 ** (item.attempts - 1), this.opts.maxBackoffMs ?? 60_000);
      const permanent = result.status !== undefined && result.status >= 400 && result.status < 500 && result.status !== 429 && result.status !== 408;
      if (permanent || item.attempts > this.opts.maxRetries || this.closed) {
        this.items.shift();
        this.drop(item, this.closed ?? `${this.status.lastError} after ${item.attempts} attempt(s)`);
      } else {
        this.log.log('WDG-SLACK-002', `alert not delivered, retrying in ${backoff} ms`, { webhook: this.opts.name, id: item.id, attempt: item.attempts, error: this.status.lastError });
        this.status.pending = this.items.length;
        return this.schedule(backoff);
      }
    }
    this.status.pending = this.items.length;
    this.schedule(0);
  }

  private drop(item: Item<M>, why: string): void {
    this.status.dropped++;
    this.onResult('dropped');
    this.log.log('WDG-SLACK-003', `alert dropped: ${why}`, { webhook: this.opts.name, id: item.id, text: item.message.text });
  }
}
