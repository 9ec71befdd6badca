import { createInterface } from 'node:readline';
import { PassThrough } from 'node:stream';
import Docker from 'dockerode';
import { readContainer, readContainers, readEvent, readInfo, readNode, readService, readSnapshot, readTasks } from './docker-api.js';
import { DockerTimeoutError, DockerUnavailableError, OutOfSequenceError, type ApiTask, type DockerClient, type DockerEvent, type EventStream, type LocalNode, type RawSnapshot, type ServiceDetail, type ServiceSpec, type TaskContainer } from './docker.js';

type Stream = NodeJS.ReadableStream & { destroy?: () => void };

/** An Engine API error we do not classify further (404, 400, 409, a 500 other than out of sequence). */
export class DockerApiError extends Error {
  constructor(message: string, readonly statusCode?: number) {
    super(message);
    this.name = 'DockerApiError';
  }
}

const UNREACHABLE = new Set(['ENOENT', 'ECONNREFUSED', 'EACCES', 'ECONNRESET', 'EPIPE', 'ENOTCONN']);

/**
 * The one place Docker's failures are told apart (by errno, HTTP status, and the Engine's message for
 * an out-of-sequence update); everything above sees typed errors only.
 */
export function classifyDockerError(err: unknown, what: string, socketPath: string, service?: string): Error {
  if (err instanceof DockerUnavailableError || err instanceof OutOfSequenceError || err instanceof DockerApiError) return err;
  const e = (err ?? {}) as NodeJS.ErrnoException & { statusCode?: number };
  const message = String(e.message ?? err);
  const where = `docker: ${what} failed on ${socketPath}: ${message}`;
  if (e.statusCode === 500 && /out of sequence/i.test(message)) return new OutOfSequenceError(service ?? what);
  if (e.code === 'ETIMEDOUT' || e.code === 'ESOCKETTIMEDOUT') return new DockerTimeoutError(`${where} (timed out)`);
  if ((e.code && UNREACHABLE.has(e.code)) || e.statusCode === 503) {
    return new DockerUnavailableError(`${where} (is the Docker socket mounted, the daemon running, the swarm's manager quorum there?)`);
  }
  return new DockerApiError(where, e.statusCode);
}

/** DockerClient on the Engine API through dockerode (a unix socket); replies validated in docker-api.ts. */
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
    const info = readInfo(await this.call('info', () => this.docker.info()));
    const swarm = info.Swarm ?? {};
    const isManager = Boolean(swarm.ControlAvailable);
    let isLeader = false;
    if (isManager && swarm.NodeID) {
      const id = swarm.NodeID;
      const node = readNode(await this.call('node inspect', () => this.docker.getNode(id).inspect()));
      isLeader = Boolean(node.ManagerStatus?.Leader);
    }
    return { nodeId: swarm.NodeID ?? '', hostname: info.Name ?? '', isManager, isLeader };
  }

  async snapshot(): Promise<RawSnapshot> {
    const [nodes, services, tasks] = await this.call('snapshot', () => Promise.all([this.docker.listNodes(), this.docker.listServices(), this.docker.listTasks()]));
    return readSnapshot(nodes, services, tasks);
  }

  async inspectService(id: string): Promise<ServiceDetail> {
    return readService(await this.call('service inspect', () => this.docker.getService(id).inspect(), id));
  }

  async serviceTasks(id: string): Promise<ApiTask[]> {
    return readTasks(await this.call('task list', () => this.docker.listTasks({ filters: { service: [id] } }), id));
  }

  async updateService(id: string, version: number, spec: ServiceSpec): Promise<void> {
    // _query/_body: otherwise docker-modem also copies the whole spec into the query string.
    const options = { _query: { version }, _body: spec };
    await this.call('service update', () => this.docker.getService(id).update(options), id);
  }

  async taskContainers(): Promise<TaskContainer[]> {
    const list = readContainers(await this.call('container list', () => this.docker.listContainers({ filters: { label: ['com.docker.swarm.service.name'] } })));
    const out: TaskContainer[] = [];
    for (const c of list) {
      let driver = this.drivers.get(c.Id);
      if (!driver) {
        const info = await this.call('container inspect', () => this.docker.getContainer(c.Id).inspect()).then(readContainer).catch(() => undefined);
        driver = info?.HostConfig?.LogConfig?.Type ?? 'unknown';
        this.drivers.set(c.Id, driver);
      }
      const labels = c.Labels ?? {};
      out.push({ id: c.Id, service: labels['com.docker.swarm.service.name'] ?? '', taskId: labels['com.docker.swarm.task.id'] ?? c.Id, logDriver: driver });
    }
    if (this.drivers.size > 5000) this.drivers.clear(); // a cache, not state
    return out;
  }

  async followLogs(id: string, sinceSec: number, onLine: (timeMs: number, line: string) => void, onEnd: (err?: Error) => void): Promise<EventStream> {
    // dockerode's types say `since` is a number of whole seconds; the API takes fractional ones.
    const opts = { follow: true as const, stdout: true, stderr: true, timestamps: true, since: sinceSec };
    const stream: Stream = await this.call('container logs', () => this.opening(() => this.streaming.getContainer(id).logs(opts)));
    const { end, handle } = watchEnd(stream, onEnd);
    const lines = new PassThrough();
    this.streaming.modem.demuxStream(stream, lines, lines);
    const rl = createInterface({ input: lines });
    rl.on('error', (err: Error) => end(err));
    rl.on('line', (line) => {
      const space = line.indexOf(' ');
      const time = Date.parse(line.slice(0, space));
      if (space > 0 && !Number.isNaN(time)) onLine(time, line.slice(space + 1));
    });
    return handle;
  }

  async events(sinceSec: number, filters: Record<string, string[]>, onEvent: (e: DockerEvent) => void, onEnd: (err?: Error) => void): Promise<EventStream> {
    const stream: Stream = await this.call('events', () => this.opening(() => this.streaming.getEvents({ since: sinceSec, filters })));
    const { end, handle } = watchEnd(stream, onEnd);
    const lines = createInterface({ input: stream });
    lines.on('error', (err: Error) => end(err));
    lines.on('line', (line) => {
      if (!line.trim()) return;
      let event: DockerEvent | undefined;
      try {
        event = readEvent(JSON.parse(line));
      } catch {
        // a torn line from a dying stream: the reconcile catches up with whatever it described
      }
      if (event) onEvent(event);
    });
    return handle;
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
        reject(new DockerTimeoutError(`docker: stream opening on ${this.socketPath}: no answer within ${this.timeoutMs} ms (timed out)`));
      }, this.timeoutMs);
    });
    try {
      return await Promise.race([stream, timeout]);
    } finally {
      clearTimeout(timer);
      if (late) stream.then((s) => (s as S & { destroy?: () => void }).destroy?.(), () => undefined);
    }
  }

  /** Every call ends within the timeout (dockerode's own is per idle socket) and fails only with typed errors. */
  private async call<T>(what: string, fn: () => Promise<T>, service?: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new DockerTimeoutError(`docker: ${what} failed on ${this.socketPath}: no answer within ${this.timeoutMs} ms (timed out)`)), this.timeoutMs);
      timer.unref?.();
    });
    try {
      return await Promise.race([fn(), timeout]);
    } catch (err) {
      throw classifyDockerError(err, what, this.socketPath, service);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Calls `onEnd` once when the stream ends or breaks (or `end` is called), never after stop(). */
function watchEnd(stream: Stream, onEnd: (err?: Error) => void): { end: (err?: Error) => void; handle: EventStream } {
  let ended = false;
  const end = (err?: Error) => {
    if (ended) return;
    ended = true;
    onEnd(err);
  };
  stream.on('end', () => end());
  stream.on('error', (err: Error) => end(err));
  stream.on('close', () => end());
  return { end, handle: { stop: () => { ended = true; stream.destroy?.(); } } };
}
