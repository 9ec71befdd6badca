// What the correlator remembers about each node between incidents: is its session lost, is it Down,
// how often it lost its session lately (flapping), its boot id, whether it is a manager.
import type { Fact } from './facts.js';

export interface Episode {
  start: number;
  down: boolean;
}

export interface NodeTrack {
  /** The earliest evidence of the node: a daemon start this close to it is the start of its log. */
  firstSeen?: number;
  /** When its daemon started at the beginning of its log (see startsLog). */
  bootStartAt?: number;
  lastSeen: number;
  lostSince?: number;
  lastLossAt?: number;
  downSince?: number;
  unknownSince?: number;
  daemonDownSince?: number;
  bootId?: string;
  /** It logged raft, dispatcher or worker-registration lines: its restart explains its workers' lost sessions. */
  manager?: boolean;
  /** Session losses within flapWindow, oldest first. */
  episodes: Episode[];
}

export interface HealthOptions {
  window: number;
  episodeGap: number;
  flapWindow: number;
}

const MAX_NODES = 1_000;
const MAX_EPISODES = 50;

export class NodeHealth {
  /** Insertion order is recency order: a node seen again moves to the end, the first is the stalest. */
  private tracks = new Map<string, NodeTrack>();

  constructor(
    private readonly options: HealthOptions,
    tracks: Record<string, NodeTrack> = {},
  ) {
    for (const [n, t] of Object.entries(tracks).slice(-MAX_NODES)) this.tracks.set(n, t);
  }

  /** The node exists (it wrote a line or was named): it counts towards the cluster size. */
  see(node: string, time: number): NodeTrack {
    let t = this.tracks.get(node);
    if (t) this.tracks.delete(node);
    else {
      // a flood of made-up names must not grow memory: forget the node not seen for longest
      if (this.tracks.size >= MAX_NODES) this.tracks.delete(this.tracks.keys().next().value!);
      t = { firstSeen: time, lastSeen: time, episodes: [] };
    }
    this.tracks.set(node, t);
    t.lastSeen = Math.max(t.lastSeen, time);
    return t;
  }

  /**
   * True when the fact at `time` belongs to the node's start-up where what we know of it begins: its
   * daemon starting (not a restart: no stop was seen), and a first election right after that start.
   */
  startsLog(node: string, time: number, window: number, role: 'daemon' | 'election'): boolean {
    const t = this.tracks.get(node);
    if (t?.firstSeen === undefined || t.daemonDownSince !== undefined) return false;
    if (role === 'daemon') return time - t.firstSeen < window;
    return t.bootStartAt !== undefined && time - t.bootStartAt < window;
  }

  markStart(node: string, time: number): void {
    const t = this.tracks.get(node);
    if (t) t.bootStartAt ??= time;
  }

  known(): number {
    return this.tracks.size;
  }

  isManager(node: string): boolean {
    return this.tracks.get(node)?.manager === true;
  }

  markManager(node: string, time: number): void {
    this.see(node, time).manager = true;
  }

  /** Records a boot id; false when it is the one already known (the same boot seen twice). */
  boot(node: string, bootId: string, time: number): boolean {
    const t = this.see(node, time);
    if (t.bootId === bootId) return false;
    t.bootId = bootId;
    return true;
  }

  apply(fact: Fact): void {
    if (fact.node === undefined) return;
    const t = this.see(fact.node, fact.time);
    const time = fact.time;
    switch (fact.role) {
      case 'session-lost':
        if (t.lostSince === undefined || time - (t.lastLossAt ?? time) > this.options.episodeGap) {
          t.lostSince = time;
          t.episodes.push({ start: time, down: false });
        }
        t.lastLossAt = Math.max(t.lastLossAt ?? time, time);
        break;
      case 'down': {
        t.downSince ??= time;
        const current = t.episodes[t.episodes.length - 1];
        if (current && t.lostSince !== undefined) current.down = true;
        else t.episodes.push({ start: time, down: true });
        break;
      }
      case 'unknown':
        t.unknownSince ??= time;
        break;
      case 'recovered':
        t.lostSince = t.lastLossAt = t.downSince = t.unknownSince = undefined;
        break;
      case 'daemon':
        if (fact.daemon === 'started') t.daemonDownSince = undefined;
        else t.daemonDownSince ??= time;
        break;
      case 'election':
      case 'election-hint':
        t.manager = true;
        break;
    }
    const since = time - this.options.flapWindow;
    t.episodes = t.episodes.filter((e) => e.start >= since).slice(-MAX_EPISODES);
  }

  /** Session losses of the node within flapWindow before `time`, and whether any of them became Down. */
  flaps(node: string, time: number): { count: number; down: boolean } {
    const since = time - this.options.flapWindow;
    const recent = (this.tracks.get(node)?.episodes ?? []).filter((e) => e.start >= since && e.start <= time);
    return { count: recent.length, down: recent.some((e) => e.down) };
  }

  clearDown(node: string): void {
    const t = this.tracks.get(node);
    if (t) t.downSince = undefined;
  }

  /** Nodes that look unhealthy at `time`: Down, session lost lately, state unknown or daemon stopped lately. */
  unhealthy(time: number): string[] {
    const { window, episodeGap } = this.options;
    const near = (t: number | undefined, span: number) => t !== undefined && time - t <= span && t - time <= window;
    const bad: string[] = [];
    for (const [n, t] of this.tracks) {
      if (t.downSince !== undefined || near(t.lastLossAt, episodeGap) || near(t.unknownSince, window) || near(t.daemonDownSince, window)) bad.push(n);
    }
    return bad;
  }

  toState(): Record<string, NodeTrack> {
    return structuredClone(Object.fromEntries(this.tracks));
  }
}
