import { createInterface } from 'node:readline';
import Docker from 'dockerode';
import { UnavailableError } from '../errors.js';
import { OutOfSequenceError, type DockerClient, type DockerEvent, type EventStream, type LocalNode, type RawSnapshot } from './docker.js';

/** DockerClient on the Engine API through dockerode (a unix socket). */
export class DockerodeClient implements DockerClient {
  private readonly docker: Docker;
  /** The events stream is long-lived and often silent: no request timeout on it. */
  private readonly streaming: Docker;

  constructor(readonly socketPath: string, timeoutMs: number) {
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
    const stream = (await this.call('events', () => this.streaming.getEvents({ since: sinceSec, filters }))) as NodeJS.ReadableStream & { destroy?: () => void };
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

  /** Docker unreachable becomes UnavailableError (exit 69 for commands). */
  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      const e = err as NodeJS.ErrnoException & { statusCode?: number };
      if (e.code === 'ENOENT' || e.code === 'ECONNREFUSED' || e.code === 'EACCES' || /timeout/i.test(e.message)) {
        throw new UnavailableError(`docker: ${what} failed on ${this.socketPath}: ${e.message} (is the Docker socket mounted and the daemon running?)`, 'WDG-DOCKER-001');
      }
      throw err;
    }
  }
}
