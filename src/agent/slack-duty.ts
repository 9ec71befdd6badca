// Everything Slack of the agent: which mode (incoming webhooks, or the bot's Web API), the delivery
// queues and their health, the first notice, and copying the bot's threads to the other agents.
import { join } from 'node:path';
import type { Clock } from '../adapters/clock.js';
import type { RawSnapshot } from '../adapters/docker.js';
import { StateFile } from '../adapters/state-file.js';
import type { Config } from '../config/schema.js';
import { FirstNotice, nodeAddress, type NoticeEvent } from '../correlate/first-notice.js';
import type { IncidentChange, Observation } from '../correlate/types.js';
import type { Logger } from '../log/logger.js';
import { DeliveryQueue, type QueueOptions } from '../notify/delivery-queue.js';
import { incidentEndedMessage, type ServiceResult } from '../notify/messages.js';
import { Notifier, type NotifierState } from '../notify/notifier.js';
import { SlackBotSender, WebApiChat, type SlackChat, type SlackOp } from '../notify/slack-bot.js';
import type { ThreadMessage } from '../notify/thread-messages.js';
import { ThreadNotifier } from '../notify/thread-notifier.js';
import { Threads, type ThreadsState } from '../notify/threads.js';
import { SlackWebhookSender, type SlackMessage } from '../notify/webhook.js';
import type { Health } from '../operate/health.js';
import type { Metrics } from '../operate/metrics.js';
import type { Summary } from '../operate/summary.js';
import { notifierStateSchema } from './state-schemas.js';
import { pullThreads, pushThreads, type PushTarget } from './thread-sync.js';

export interface SlackDutyDeps {
  config: () => Config;
  clock: Clock;
  log: Logger;
  metrics: Metrics;
  health: Health;
  /** Tests give a stand-in; by default the real Web API client. */
  chat?: (token: string, config: Config) => SlackChat;
}

/** What a queue is set up with; a reload that changes none of it leaves the queue (and its backoff) alone. */
interface Setup {
  secret: string;
  timeout: number;
  queue: QueueOptions;
  apiUrl?: string;
  channel?: string;
}

const sameSetup = (a: Setup | undefined, b: Setup) =>
  a !== undefined && a.secret === b.secret && a.timeout === b.timeout && a.apiUrl === b.apiUrl && a.channel === b.channel &&
  a.queue.name === b.queue.name && a.queue.size === b.queue.size && a.queue.maxRetries === b.queue.maxRetries;

export class SlackDuty {
  private readonly queues: { main?: DeliveryQueue; canWait?: DeliveryQueue } = {};
  private bot?: DeliveryQueue<SlackOp>;
  private readonly setups: { main?: Setup; canWait?: Setup; bot?: Setup } = {};
  readonly notifier: Notifier;
  readonly threads: ThreadNotifier;
  private readonly threadStore: Threads;
  private readonly notice: FirstNotice;
  private noticeTimer?: { cancel(): void };
  private pushing = false;

  constructor(private readonly deps: SlackDutyDeps) {
    const config = deps.config();
    const state = (name: string) => join(config.stateDir, name);
    this.notifier = new Notifier(this.queues, {
      canWait: () => this.deps.config().alerts.canWait,
      next: () => this.next(),
    }, new StateFile<NotifierState>(state('alerts.json'), notifierStateSchema), deps.log);
    this.threadStore = new Threads(new StateFile<ThreadsState>(state('slack-threads.json')));
    try {
      this.threadStore.load();
    } catch (err) {
      deps.log.log('WDG-STATE-001', `Slack threads unreadable, starting fresh: ${(err as Error).message}`, { path: state('slack-threads.json') });
    }
    this.threads = new ThreadNotifier(() => this.bot, this.threadStore, {
      next: () => this.next(),
      windowMs: () => this.deps.config().correlate.window,
      now: () => this.deps.clock.now(),
      canWait: (incident) => {
        if (this.deps.config().alerts.canWait === 'webhook') this.queues.canWait?.enqueue(`${incident.id}:can-wait`, incidentEndedMessage(incident));
      },
    }, deps.log);
    this.notice = new FirstNotice(config.alerts.firstNotice.hold);
    this.applyConfig(config);
  }

  get botMode(): boolean {
    return this.bot !== undefined;
  }

  /** At start and on each applied reload: one queue per configured webhook, or the bot's. */
  applyConfig(config: Config): void {
    const { alerts, secrets } = config;
    const queue = (name: string): QueueOptions => ({ name, size: alerts.queueSize, maxRetries: alerts.maxRetries });
    this.notice.setHold(alerts.firstNotice.hold);
    this.webhook('main', secrets.slackWebhook, config, queue('main'));
    this.webhook('canWait', secrets.canWaitWebhook, config, queue('can-wait'));
    const bot = secrets.slackToken && secrets.slackChannel
      ? { secret: secrets.slackToken, channel: secrets.slackChannel, apiUrl: alerts.slack.apiUrl, timeout: alerts.timeout, queue: queue('bot') }
      : undefined;
    if (bot && sameSetup(this.setups.bot, bot)) return;
    this.setups.bot = bot;
    if (!bot) {
      this.bot?.dropAll('the bot token was removed from the config');
      this.bot = undefined;
      this.deps.health.remove('slack-bot');
      return;
    }
    const chat = (this.deps.chat ?? ((token, c) => new WebApiChat(token, { apiUrl: c.alerts.slack.apiUrl, timeoutMs: c.alerts.timeout })))(bot.secret, config);
    const sender = new SlackBotSender(chat, bot.channel, this.threads);
    this.authError = undefined;
    if (this.bot) this.bot.reconfigure(sender, bot.queue);
    else this.bot = this.newQueue(sender, bot.queue);
    void this.checkToken(chat);
  }

  incidentChanged(change: IncidentChange, acting: boolean): void {
    if (this.bot) this.threads.incidentChanged(change, acting);
    else this.notifier.incidentChanged(change, acting);
    if (change.incident.markedDownAt !== undefined) for (const n of change.incident.nodes) this.notice.markedDown(n);
  }

  rebalanceDone(results: ServiceResult[], incidentId?: string): void {
    if (this.bot) this.threads.rebalanceDone(results, incidentId);
    else this.notifier.rebalanceDone(results, incidentId);
  }

  /** The daily summary (bot mode: with the recovered first notices), built by `toMessage`. */
  postDaily(summary: Summary, toMessage: (s: Summary) => SlackMessage): void {
    this.postSummary(toMessage(this.bot ? this.threads.withNotices(summary) : summary));
  }

  /** The daily summary: can-wait news goes out with it. */
  postSummary(message: SlackMessage): void {
    const key = `summary:${this.deps.clock.now()}`;
    if (this.bot) this.threads.standalone(key, { text: message.text ?? 'daily summary', blocks: (message.blocks ?? []) as ThreadMessage['blocks'] });
    else this.queues.main?.enqueue(key, message);
  }

  /** Every observation the agent correlates: its own daemon's gossip feeds the first notice. */
  observed(obs: Observation, acting: boolean): void {
    const { config, clock } = this.deps;
    if (obs.type === 'node-state' && obs.to === 'down') this.notice.markedDown(obs.node);
    if (obs.type !== 'signal' || obs.signal.node !== config().node) return;
    this.handle(this.notice.signal(obs.signal, clock.now()), acting);
    // wake exactly when the hold of a failure ends, not at the next second's tick
    const due = this.notice.nextDue();
    this.noticeTimer?.cancel();
    if (due !== undefined) this.noticeTimer = clock.setTimeout(() => this.handle(this.notice.tick(clock.now()), this.acting), Math.max(0, due - clock.now()));
  }

  reconciled(snapshot: RawSnapshot | undefined): void {
    if (!snapshot) return;
    this.notice.setNodes(snapshot.nodes.map((n) => ({ name: n.Description?.Hostname ?? n.ID, addr: nodeAddress(n), state: n.Status?.State })));
  }

  private acting = false;
  /** auth.test refused the token: the bot is failing even before a message is tried. */
  private authError?: string;

  /** Once a second: health of the queues, the first notice's hold, the threads to the other agents. */
  tick(acting: boolean, target: PushTarget): void {
    const now = this.deps.clock.now();
    const queues: Array<[string, { status: DeliveryQueue['status'] } | undefined]> = [['main', this.queues.main], ['canWait', this.queues.canWait], ['bot', this.bot]];
    for (const [name, q] of queues) {
      if (!q) continue;
      const authError = name === 'bot' ? this.authError : undefined;
      const failing = q.status.consecutiveFailures > 0 || authError !== undefined;
      const timeout = /timeout|abort/i.test(q.status.lastError ?? '');
      this.deps.health.set(`slack-${name}`, failing ? (timeout ? 'TIMEOUT' : 'ERROR') : 'OK', now, failing ? `${q.status.lastError ?? authError}; ${q.status.pending} pending` : undefined);
    }
    const tookOver = acting && !this.acting;
    this.acting = acting;
    this.handle(this.notice.tick(now), acting);
    if (tookOver) void pullThreads(target, this.deps.log).then((threads) => this.receiveThreads(threads));
    // pushed by any agent that changed them: the one that lost acting may still finish its queue
    if (this.threads.dirty && !this.pushing) {
      this.threads.dirty = false;
      this.pushing = true;
      void pushThreads(target, this.threadStore.all()).finally(() => (this.pushing = false));
    }
  }

  threadList(): ThreadsState['threads'] {
    return this.threadStore.all();
  }

  /** Threads another (acting) agent sent: kept, so this agent continues them if it becomes the acting one. */
  receiveThreads(threads: ThreadsState['threads']): void {
    if (!this.threadStore.merge(threads)) return;
    try {
      this.threadStore.save();
    } catch (err) {
      this.deps.log.log('WDG-STATE-002', `cannot save the Slack threads: ${(err as Error).message}`);
    }
  }

  managersUnreachable(node: string, sinceMs: number): void {
    this.notifier.managersUnreachable(node, sinceMs);
  }

  managersReachable(): void {
    this.notifier.managersReachable();
  }

  stop(): void {
    this.noticeTimer?.cancel();
    for (const q of [this.queues.main, this.queues.canWait, this.bot]) q?.stop();
  }

  private handle(events: NoticeEvent[], acting: boolean): void {
    if (!acting || !this.bot || !this.deps.config().alerts.firstNotice.enabled) return;
    for (const e of events) {
      if (e.type === 'unreachable') this.threads.nodeUnreachable(e.node, e.since, e.at);
      else this.threads.nodeBack(e.node, e.since, e.at);
    }
  }

  private next() {
    const c = this.deps.config();
    return { autoRebalance: c.rebalance.auto, stabilizationMs: c.rebalance.stabilization };
  }

  private webhook(key: 'main' | 'canWait', url: string | undefined, config: Config, opts: QueueOptions): void {
    const setup = url ? { secret: url, timeout: config.alerts.timeout, queue: opts } : undefined;
    if (setup && sameSetup(this.setups[key], setup)) return; // unchanged: a message in backoff keeps its schedule
    if (!setup && !this.setups[key]) return;
    this.setups[key] = setup;
    const queue = this.queues[key];
    if (!url) {
      queue?.dropAll('its webhook was removed from the config');
      this.queues[key] = undefined;
      this.deps.health.remove(`slack-${key}`);
    } else if (queue) {
      queue.reconfigure(new SlackWebhookSender(url, config.alerts.timeout), opts);
    } else {
      this.queues[key] = this.newQueue(new SlackWebhookSender(url, config.alerts.timeout), opts);
    }
  }

  private newQueue<M extends { text?: string }>(sender: ConstructorParameters<typeof DeliveryQueue<M>>[0], opts: QueueOptions): DeliveryQueue<M> {
    const { deps } = this;
    return new DeliveryQueue<M>(sender, opts, deps.clock, deps.log.child({ component: 'slack' }), (r) =>
      (r === 'delivered' ? deps.metrics.alertsDelivered : deps.metrics.alertsDropped).inc({ webhook: opts.name }),
    );
  }

  private async checkToken(chat: SlackChat): Promise<void> {
    try {
      const who = await chat.authTest();
      this.deps.log.log('WDG-SLACK-005', `Slack bot mode ready (${who.user ?? 'bot'} in ${who.team ?? 'the workspace'})`, { team: who.team, user: who.user });
    } catch (err) {
      const e = err as { data?: { error?: string }; message: string };
      const why = e.data?.error ?? e.message;
      this.authError = `auth.test: ${why}`;
      this.deps.log.log('WDG-SLACK-004', `Slack refused the bot token: ${why}`, { error: why });
    }
  }
}
