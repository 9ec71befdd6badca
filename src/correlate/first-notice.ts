// The first notice: the acting agent's own daemon says in gossip that a peer failed, and it is not
// back within `hold` — worth a warning seconds before Swarm marks it Down. Not for a graceful leave
// (a daemon restart says NodeLeft, never NodeFailed), nor for a blip that comes back within the hold.
// Gossip names nodes by a gossip id: its address comes from the "Node <id>/<addr>, left|joined gossip
// cluster" lines, and the address is the node's in Swarm. Pure: time comes from signals and tick(now).
import type { Signal } from '../detect/types.js';

export type NoticeEvent =
  | { type: 'unreachable'; node: string; since: number; at: number }
  | { type: 'back'; node: string; since: number; at: number };

interface Track {
  since: number;
  failed: boolean;
  warned?: string;
}

/** Gossip older than this on arrival is history (a replayed journal), not news. */
const STALE_MS = 30_000;
/** A failure never resolved either way is forgotten after this. */
const FORGET_MS = 10 * 60_000;
const MAX_IDS = 1000;

export class FirstNotice {
  private tracks = new Map<string, Track>();
  private addrOf = new Map<string, string>();
  private nodeAt = new Map<string, string>();
  private down = new Set<string>();

  constructor(private hold: number) {}

  setHold(ms: number): void {
    this.hold = ms;
  }

  /** Swarm's nodes with their addresses (from each reconcile): who a gossip address is. */
  setNodes(nodes: Array<{ name: string; addr?: string; state?: string }>): NoticeEvent[] {
    this.nodeAt = new Map(nodes.filter((n) => n.addr).map((n) => [n.addr!, n.name]));
    for (const n of nodes) if (n.state === 'down') this.down.add(n.name);
    for (const n of nodes) if (n.state === 'ready') this.down.delete(n.name);
    return [];
  }

  /** Swarm gave its verdict: the incident takes over from here. */
  markedDown(node: string): void {
    this.down.add(node);
    for (const [id, t] of this.tracks) if (this.nodeOf(id) === node && !t.warned) this.tracks.delete(id);
  }

  /** One of this node's own daemon's gossip lines. */
  signal(s: Signal, now: number): NoticeEvent[] {
    const id = s.subjectKind === 'gossip-id' ? s.subject : undefined;
    if (!id) return [];
    if (s.detail?.addr) this.learn(id, s.detail.addr.replace(/:\d+$/, ''));
    if (now - s.time > STALE_MS) return [];
    const t = this.tracks.get(id);
    switch (s.kind) {
      case 'gossip-suspect':
        if (!t) this.tracks.set(id, { since: s.time, failed: false });
        return [];
      case 'gossip-failed':
        if (t) t.failed = true;
        else this.tracks.set(id, { since: s.time, failed: true });
        return [];
      case 'gossip-left':
        if (t && !t.failed) this.tracks.delete(id); // a graceful leave: the daemon stopped on purpose
        return [];
      case 'gossip-active':
      case 'gossip-joined':
        if (!t) return [];
        this.tracks.delete(id);
        return t.warned ? [{ type: 'back', node: t.warned, since: t.since, at: s.time }] : [];
      default:
        return [];
    }
  }

  /** Failures that outlasted the hold, once each. */
  tick(now: number): NoticeEvent[] {
    const out: NoticeEvent[] = [];
    for (const [id, t] of this.tracks) {
      if (now - t.since > FORGET_MS) {
        this.tracks.delete(id);
        continue;
      }
      if (!t.failed || t.warned || now - t.since < this.hold) continue;
      const node = this.nodeOf(id);
      if (!node || this.down.has(node)) continue;
      t.warned = node;
      out.push({ type: 'unreachable', node, since: t.since, at: now });
    }
    return out;
  }

  /** When the next hold ends (a timer can wake the agent exactly then). */
  nextDue(): number | undefined {
    const due = [...this.tracks.values()].filter((t) => t.failed && !t.warned).map((t) => t.since + this.hold);
    return due.length ? Math.min(...due) : undefined;
  }

  private nodeOf(id: string): string | undefined {
    const addr = this.addrOf.get(id);
    return addr ? this.nodeAt.get(addr) : undefined;
  }

  private learn(id: string, addr: string): void {
    if (!this.addrOf.has(id) && this.addrOf.size >= MAX_IDS) this.addrOf.delete(this.addrOf.keys().next().value!);
    this.addrOf.set(id, addr);
  }
}

/** A Swarm node's address as gossip shows it (a manager's Status.Addr may read 0.0.0.0). */
export function nodeAddress(n: { Status?: { Addr?: string }; ManagerStatus?: { Addr?: string } }): string | undefined {
  const addr = n.Status?.Addr;
  if (addr && addr !== '0.0.0.0') return addr;
  return n.ManagerStatus?.Addr?.replace(/:\d+$/, '');
}
