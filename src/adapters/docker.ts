// The handful of Docker Engine API calls the watchdog uses, behind one small interface.

/** GET /nodes, /services, /tasks exactly as the Engine API returns them. */
export interface RawSnapshot {
  nodes: any[];
  services: any[];
  tasks: any[];
}

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

export interface DockerClient {
  ping(): Promise<void>;
  localNode(): Promise<LocalNode>;
  snapshot(): Promise<RawSnapshot>;
  inspectService(id: string): Promise<any>;
  /** GET /tasks?filters={"service":[id]}. */
  serviceTasks(id: string): Promise<any[]>;
  /** Writes a service spec at `version`; throws OutOfSequenceError when someone wrote in between. */
  updateService(id: string, version: number, spec: unknown): Promise<void>;
  /** This node's running Swarm task containers, with their log driver. */
  taskContainers(): Promise<TaskContainer[]>;
  /** Follows a container's stdout/stderr from `sinceSec` (fractional), with timestamps; `onEnd` once. */
  followLogs(id: string, sinceSec: number, onLine: (timeMs: number, line: string) => void, onEnd: (err?: Error) => void): Promise<EventStream>;
  /** Follows GET /events from `sinceSec`; `onEnd` is called once when the stream breaks or ends. */
  events(sinceSec: number, filters: Record<string, string[]>, onEvent: (e: DockerEvent) => void, onEnd: (err?: Error) => void): Promise<EventStream>;
}

/** Swarm refused a service update written at a stale version. */
export class OutOfSequenceError extends Error {
  constructor(service: string) {
    super(`service ${service}: update out of sequence (someone else changed it)`);
    this.name = 'OutOfSequenceError';
  }
}
