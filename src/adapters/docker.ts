// The handful of Docker Engine API calls the watchdog uses, behind one small interface. What Docker
// returns is validated at the adapter (docker-api.ts): the rest of the code gets typed values.
import { UnavailableError } from '../errors.js';
import type { ApiService, ApiTask, ClusterSnapshot } from '../rebalance/snapshot.js';

/** GET /nodes, /services, /tasks, validated (only the fields we read are typed; the rest is kept). */
export type RawSnapshot = ClusterSnapshot;

/** A service spec as read: the fields we read, typed, and every other field kept so a write-back loses nothing. */
export type ServiceSpec = NonNullable<ApiService['Spec']> & Record<string, unknown>;

/** GET /services/{id}: what a version-checked update needs. */
export interface ServiceDetail {
  ID: string;
  Version: { Index: number };
  Spec: ServiceSpec;
  /** The spec before the last update (what `docker service rollback` goes back to). */
  PreviousSpec?: ServiceSpec;
}

export type { ApiTask };

export interface LocalNode {
  nodeId: string;
  hostname: string;
  /** Only managers can read the cluster and update services. */
  isManager: boolean;
  /** This node is the Raft leader: its agent is the acting one. */
  isLeader: boolean;
}

/** One Docker event (GET /events), as the API sends it. */
export interface DockerEvent {
  Type: string;
  Action: string;
  Actor: { ID: string; Attributes?: Record<string, string> };
  time: number;
  timeNano?: number;
}

export interface EventStream {
  stop(): void;
}

/** A running task container of this node whose logs the Docker API serves (json-file or local driver). */
export interface TaskContainer {
  id: string;
  service: string;
  taskId: string;
  logDriver: string;
}

/**
 * Every call throws only the typed errors below for Docker's own failures: DockerUnavailableError
 * (DockerTimeoutError when a call took longer than the configured timeout), OutOfSequenceError,
 * DockerResponseError (a reply of an unexpected shape).
 */
export interface DockerClient {
  ping(): Promise<void>;
  localNode(): Promise<LocalNode>;
  snapshot(): Promise<RawSnapshot>;
  inspectService(id: string): Promise<ServiceDetail>;
  /** GET /tasks?filters={"service":[id]}. */
  serviceTasks(id: string): Promise<ApiTask[]>;
  /** Writes a service spec at `version`; throws OutOfSequenceError when someone wrote in between. */
  updateService(id: string, version: number, spec: ServiceSpec): Promise<void>;
  /** This node's running Swarm task containers, with their log driver. */
  taskContainers(): Promise<TaskContainer[]>;
  /** Follows a container's stdout/stderr from `sinceSec` (fractional), with timestamps; `onEnd` once. */
  followLogs(id: string, sinceSec: number, onLine: (timeMs: number, line: string) => void, onEnd: (err?: Error) => void): Promise<EventStream>;
  /** Follows GET /events from `sinceSec`; `onEnd` is called once when the stream breaks or ends. */
  events(sinceSec: number, filters: Record<string, string[]>, onEvent: (e: DockerEvent) => void, onEnd: (err?: Error) => void): Promise<EventStream>;
}

/** Docker cannot be reached (socket missing, daemon stopped): exit 69 for commands. */
export class DockerUnavailableError extends UnavailableError {
  constructor(message: string) {
    super(message, 'WDG-DOCKER-001');
    this.name = new.target.name;
  }
}

/** A Docker call got no answer within docker.timeout (a hung or frozen daemon, a manager without quorum). */
export class DockerTimeoutError extends DockerUnavailableError {}

/** Swarm refused a service update written at a stale version. */
export class OutOfSequenceError extends Error {
  constructor(service: string) {
    super(`service ${service}: update out of sequence (someone else changed it)`);
    this.name = 'OutOfSequenceError';
  }
}

/** Docker answered, but not in the shape we read (a field of another type): nothing is acted on. */
export class DockerResponseError extends UnavailableError {
  constructor(what: string, problems: string[]) {
    super(`docker: ${what}: unexpected reply: ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? ` (+${problems.length - 3} more)` : ''}`, 'WDG-DOCKER-002');
    this.name = 'DockerResponseError';
  }
}
