import type { DockerClient, EventStream, TaskContainer } from '../adapters/docker.js';
import type { Logger } from '../log/logger.js';

/** Drivers whose logs the Docker API can replay (journald lines come through the journal instead). */
const API_DRIVERS = new Set(['json-file', 'local']);

export interface ContainerLine {
  container: TaskContainer;
  time: number;
  line: string;
}

/**
 * Follows the output of this node's task containers that log to json-file or local, through the
 * Docker logs API. `sync()` (called on every reconcile) attaches to new containers and forgets gone
 * ones; each follower resumes after the last line it saw, so a broken stream loses nothing.
 */
export class ContainerLogs {
  private readonly followers = new Map<string, EventStream>();
  private syncing = false;
  /** Container id → time (ms) of the last line handled; saved with the agent's state. */
  readonly positions: Record<string, number>;

  constructor(
    private readonly docker: DockerClient,
    private readonly log: Logger,
    private readonly onLine: (l: ContainerLine) => void,
    positions: Record<string, number> = {},
    private readonly startMs = Date.now(),
    /** The watchdog's own service: its output is our log, not an application's. */
    private readonly ownService?: string,
  ) {
    this.positions = { ...positions };
  }

  async sync(): Promise<void> {
    if (this.syncing) return; // one at a time: two overlapping syncs would attach twice
    this.syncing = true;
    try {
      await this.syncOnce();
    } finally {
      this.syncing = false;
    }
  }

  private async syncOnce(): Promise<void> {
    const containers = (await this.docker.taskContainers()).filter((c) => API_DRIVERS.has(c.logDriver) && c.service !== this.ownService);
    const live = new Set(containers.map((c) => c.id));
    for (const [id, f] of this.followers) {
      if (!live.has(id)) {
        f.stop();
        this.followers.delete(id);
      }
    }
    for (const id of Object.keys(this.positions)) if (!live.has(id)) delete this.positions[id];
    for (const c of containers) if (!this.followers.has(c.id)) await this.follow(c);
  }

  stop(): void {
    for (const f of this.followers.values()) f.stop();
    this.followers.clear();
  }

  private async follow(c: TaskContainer): Promise<void> {
    const last = this.positions[c.id];
    // Strictly after the last line seen (the API's since is inclusive); a new container from our start.
    const since = last !== undefined ? (last + 0.001) / 1000 : this.startMs / 1000;
    try {
      const stream = await this.docker.followLogs(c.id, since, (time, line) => {
        if (last !== undefined && time <= last) return;
        this.positions[c.id] = time;
        this.onLine({ container: c, time, line });
      }, () => this.followers.delete(c.id)); // the next sync re-attaches if the container still runs
      this.followers.set(c.id, stream);
      this.log.debug('following container logs', { container: c.id.slice(0, 12), service: c.service, since });
    } catch (err) {
      this.log.debug('cannot follow container logs', { container: c.id.slice(0, 12), error: (err as Error).message });
    }
  }
}
