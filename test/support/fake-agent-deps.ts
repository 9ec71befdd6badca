// Fakes of the agent's outside world for unit tests of the Agent class: a Docker daemon whose answers
// the test holds back or releases, and a journal the test feeds by hand.
import type { DockerClient, DockerEvent, EventStream, LocalNode, RawSnapshot } from '../../src/adapters/docker.js';
import type { JournalSource, ResumePoint } from '../../src/adapters/journalctl.js';
import type { JournalRecord } from '../../src/sources/journal-record.js';

export class FakeDocker implements DockerClient {
  local: LocalNode = { nodeId: 'n1', hostname: 'node1', isManager: true, isLeader: true };
  snap: RawSnapshot = { nodes: [], services: [], tasks: [] };
  /** Open event streams (not stopped). */
  readonly streams = new Set<EventStream>();
  eventsOpened = 0;
  /** When set, localNode() waits for this promise first (a daemon that is slow to answer). */
  hold?: Promise<void>;
  /** When set, events() waits for this promise before the stream is open. */
  holdEvents?: Promise<void>;

  async ping(): Promise<void> {}
  async localNode(): Promise<LocalNode> {
    if (this.hold) await this.hold;
    return this.local;
  }
  async snapshot(): Promise<RawSnapshot> {
    return this.snap;
  }
  async inspectService(): Promise<any> {
    return undefined;
  }
  async serviceTasks(): Promise<any[]> {
    return [];
  }
  async updateService(): Promise<void> {}
  async taskContainers() {
    return [];
  }
  async followLogs(): Promise<EventStream> {
    return { stop() {} };
  }
  async events(_since: number, _filters: Record<string, string[]>, _onEvent: (e: DockerEvent) => void): Promise<EventStream> {
    this.eventsOpened++;
    if (this.holdEvents) await this.holdEvents;
    const stream: EventStream = { stop: () => this.streams.delete(stream) };
    this.streams.add(stream);
    return stream;
  }
}

export class FakeJournal implements JournalSource {
  running = false;
  started?: ResumePoint;
  private onRecord?: (r: JournalRecord) => void;

  start(position: ResumePoint, onRecord: (r: JournalRecord) => void): void {
    this.started = position;
    this.onRecord = onRecord;
    this.running = true;
  }
  async stop(): Promise<void> {
    this.running = false;
  }
  feed(record: JournalRecord): void {
    this.onRecord?.(record);
  }
}

/** A promise the test resolves by hand. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
}
