import type { Clock } from '../adapters/clock.js';
import type { DockerClient, EventStream, LocalNode, RawSnapshot } from '../adapters/docker.js';
import type { Logger } from '../log/logger.js';
import type { ClusterObservation, ClusterView } from '../correlate/cluster-view.js';

export interface ClusterWatchEvents {
  observations(obs: ClusterObservation[]): void;
  /** Every successful read: this node's role, and (on managers) the cluster. */
  reconciled(local: LocalNode, snapshot: RawSnapshot | undefined): void;
  dockerDown(err: Error): void;
}

/**
 * Keeps the cluster view current: a reconcile of /nodes, /services, /tasks every `everyMs` (the
 * truth) and the events stream in between (hints with exact times), reconnected with backoff.
 * Workers only learn their own role: the cluster is readable on managers only.
 */
export class ClusterWatch {
  private timer?: { cancel(): void };
  private stream?: EventStream;
  private streamBackoffMs = 1000;
  private lastEventSec = 0;
  private stopped = false;
  local?: LocalNode;

  constructor(
    private readonly docker: DockerClient,
    private readonly view: ClusterView,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly everyMs: () => number,
    private readonly on: ClusterWatchEvents,
  ) {}

  start(): void {
    this.stopped = false;
    void this.tick();
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.stream?.stop();
    this.stream = undefined;
  }

  /** One reconcile now (also used after a rebalance step). After each await: stop() may have come meanwhile. */
  async tick(): Promise<void> {
    this.timer?.cancel();
    if (this.stopped) return;
    try {
      const local = await this.docker.localNode();
      if (this.stopped) return;
      if (this.local?.isLeader !== local.isLeader) {
        this.log.log('WDG-CLUSTER-001', local.isLeader ? 'this node is the Raft leader: this agent acts' : 'this node is not the Raft leader: this agent reports evidence only', { node: local.hostname, manager: local.isManager });
      }
      this.local = local;
      let snapshot: RawSnapshot | undefined;
      if (local.isManager) {
        snapshot = await this.docker.snapshot();
        if (this.stopped) return;
        this.on.observations(this.view.reconcile(snapshot, this.clock.now()));
        if (!this.stream) await this.follow();
        if (this.stopped) return;
      } else if (this.stream) {
        this.stream.stop();
        this.stream = undefined;
      }
      this.log.debug('reconciled', { manager: local.isManager, leader: local.isLeader, nodes: snapshot?.nodes.length, tasks: snapshot?.tasks.length });
      this.on.reconciled(local, snapshot);
    } catch (err) {
      if (!this.stopped) this.on.dockerDown(err as Error);
    } finally {
      if (!this.stopped) this.timer = this.clock.setTimeout(() => void this.tick(), this.everyMs());
    }
  }

  private async follow(): Promise<void> {
    const since = this.lastEventSec || Math.floor(this.clock.now() / 1000) - 1;
    try {
      const stream = await this.docker.events(since, { type: ['node', 'service'] }, (e) => {
        this.lastEventSec = e.time;
        this.streamBackoffMs = 1000;
        this.log.debug('docker event', { type: e.Type, action: e.Action, actor: e.Actor.ID, attrs: e.Actor.Attributes });
        this.on.observations(this.view.event(e));
      }, (err) => {
        this.stream = undefined;
        if (this.stopped) return;
        this.log.log('WDG-CLUSTER-002', `the Docker events stream ended${err ? `: ${err.message}` : ''}; reconnecting in ${this.streamBackoffMs} ms`, { backoffMs: this.streamBackoffMs });
        const wait = this.streamBackoffMs;
        this.streamBackoffMs = Math.min(this.streamBackoffMs * 2, 30_000);
        this.clock.setTimeout(() => void this.tick(), wait);
      });
      if (this.stopped) stream.stop(); // stopped while the stream was opening: never leave it open
      else this.stream = stream;
    } catch (err) {
      this.stream = undefined;
      throw err;
    }
  }
}
