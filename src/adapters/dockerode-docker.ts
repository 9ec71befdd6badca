import { createInterface } from 'node:readline';
import { PassThrough } from 'node:stream';
import Docker from 'dockerode';
import { UnavailableError } from '../errors.js';
import { OutOfSequenceError, type DockerClient, type DockerEvent, type EventStream, type LocalNode, type RawSnapshot, type TaskContainer } from './docker.js';

/** DockerClient on the Engine API through dockerode (a unix socket). */
export class DockerodeClient implements DockerClient {
  private readonly docker: Docker;
  /** The events stream is long-lived and often silent: no request timeout on it. */
  private readonly streaming: Docker;
  private readonly drivers = new Map<string, string>();

  constructor(readonly socketPath: string, private readonly timeoutMs: number) {
    this.docker = new Docker({ socketPath, timeout: timeoutMs });
    this.streaming = new Docker({ socketPath });
  }

  async ping(): Promise<void> {
    await this.call('ping', () => this.docker.ping());
  }

  async localNode(): Promise<LocalNode> {
    const info = await this.call('info', () => this.docker.info());
    const swarm = info.Swarm ?? {};
    const isManager = Boolean(swarm.ControlAvailable);
    let isLeader = false;
    if (isManager && swarm.NodeID) {
      const node = await this.call('node inspect', () => this.docker.getNode(swarm.NodeID).inspect());
      isLeader = Boolean(node.ManagerStatus?.Leader);
    }
    return { nodeId: swarm.NodeID ?? '', hostname: info.Name ?? '', isManager, isLeader };
  }

  async snapshot(): Promise<RawSnapshot> {
    const [nodes, services, tasks] = await this.call('snapshot', () =>
      Promise.all([this.docker.listNodes(), this.docker.listServices(), this.docker.listTasks()]),
    );
    return { nodes, services, tasks };
  }

  inspectService(id: string): Promise<any> {
    return this.call('service inspect', () => this.docker.getService(id).inspect());
  }

  serviceTasks(id: string): Promise<any[]> {
    return this.call('task list', () => this.docker.listTasks({ filters: { service: [id] } }));
  }

  async taskContainers(): Promise<TaskContainer[]> {
    const list = await this.call('container list', () => this.docker.listContainers({ filters: { label: ['com.docker.swarm.service.name'] } }));
    const out: TaskContainer[] = [];
    for (const c of list) {
      let driver = this.drivers.get(c.Id);
      if (!driver) {
        const info = await this.call('container inspect', () => this.docker.getContainer(c.Id).inspect()).catch(() => undefined);
        driver = info?.HostConfig?.LogConfig?.Type ?? 'unknown';
        this.drivers.set(c.Id, driver);
      }
      out.push({ id: c.Id, service: c.Labels['com.docker.swarm.service.name'], taskId: c.Labels['com.docker.swarm.task.id'] ?? c.Id, logDriver: driver });
    }
    if (this.drivers.size > 5000) this.drivers.clear(); // a cache, not state
    return out;
  }

  async followLogs(id: string, sinceSec: number, onLine: (timeMs: number, line: string) => void, onEnd: (err?: Error) => void): Promise<EventStream> {
    const stream = (await this.call('container logs', () =>
      this.opening(() => this.streaming.getContainer(id).logs({ follow: true, stdout: true, stderr: true, timestamps: true, since: sinceSec as never }) as unknown as Promise<NodeJS.ReadableStream>),
    )) as NodeJS.ReadableStream & { destroy?: () => void };
    let ended = false;
    const end = (err?: Error) => {
      if (!ended) {
        ended = true;
        onEnd(err);
      }
    };
    const lines = new PassThrough();
    this.streaming.modem.demuxStream(stream, lines, lines);
    const rl = createInterface({ input: lines });
    rl.on('error', (err: Error) => end(err));
    rl.on('line', (line) => {
      const space = line.indexOf(' ');
      const time = Date.parse(line.slice(0, space));
      if (space > 0 && !Number.isNaN(time)) onLine(time, line.slice(space + 1));
    });
    stream.on('end', () => end());
    stream.on('error', (err: Error) => end(err));
    stream.on('close', () => end());
    return { stop: () => { ended = true; stream.destroy?.(); } };
  }

  async updateService(id: string, version: number, spec: unknown): Promise<void> {
    try {
      // _query/_body: otherwise docker-modem also copies the whole spec into the query string.
      await this.docker.getService(id).update({ _query: { version }, _body: spec } as never);
    } catch (err) {
      if (/out of sequence/i.test(String((err as Error).message))) throw new OutOfSequenceError(id);
      throw err;
    }
  }

  async events(sinceSec: number, filters: Record<string, string[]>, onEvent: (e: DockerEvent) => void, onEnd: (err?: Error) => void): Promise<EventStream> {
    const stream = (await this.call('events', () => this.opening(() => this.streaming.getEvents({ since: sinceSec, filters })))) as NodeJS.ReadableStream & { destroy?: () => void };
    let ended = false;
    const end = (err?: Error) => {
      if (ended) return;
      ended = true;
      onEnd(err);
    };
    const lines = createInterface({ input: stream });
    lines.on('error', (err: Error) => end(err));
    lines.on('line', (line) => {
      if (!line.trim()) return;
      try {
        onEvent(JSON.parse(line) as DockerEvent);
      } catch {
        // a torn line from a dying stream: the reconcile catches up with whatever it described
      }
    });
    stream.on('end', () => end());
    stream.on('error', (err: Error) => end(err));
    stream.on('close', () => end());
    return { stop: () => { ended = true; stream.destroy?.(); } };
  }

  /**
   * A stream may be silent for hours once open, so it has no request timeout; but its opening waits
   * at most docker.timeout for the daemon's answer (a frozen daemon accepts and never answers). One
   * that opens too late is closed at once.
   */
  private async opening<S extends NodeJS.ReadableStream>(open: () => Promise<S>): Promise<S> {
    let timer: NodeJS.Timeout | undefined;
    let late = false;
    const stream = open();
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        late = true;
        reject(new Error(`timeout: no answer within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
    });
    try {
      return await Promise.race([stream, timeout]);
    } finally {
      clearTimeout(timer);
      if (late) stream.then((s) => (s as S & { destroy?: () => void }).destroy?.(), () => undefined);
    }
  }

  /** Docker unreachable becomes UnavailableError (exit 69 for commands). */
  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    const started = Date.now();
    try {
      return await fn();
    } catch (err) {
      const e = err as NodeJS.ErrnoException & { statusCode?: number };
      // docker-modem ends a request past its timeout with "socket hang up": say what it was.
      const timedOut = /timeout/i.test(e.message) || (e.code === 'ECONNRESET' && Date.now() - started >= this.timeoutMs * 0.9);
      if (timedOut) throw new UnavailableError(`docker: ${what} on ${this.socketPath}: no answer within ${this.timeoutMs} ms (docker.timeout; is the daemon hung?)`, 'WDG-DOCKER-001');
      if (e.code === 'ENOENT' || e.code === 'ECONNREFUSED' || e.code === 'EACCES' || e.code === 'ECONNRESET') {
        throw new UnavailableError(`docker: ${what} failed on ${this.socketPath}: ${e.message} (is the Docker socket mounted and the daemon running?)`, 'WDG-DOCKER-001');
      }
      throw err;
    }
  }
}
