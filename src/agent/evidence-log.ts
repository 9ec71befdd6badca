// This node's evidence (signals, application codes, boots), numbered, kept for the acting agent to pull. Bounded; the
// sequence numbers are checkpointed with the journal cursor so a replay after a crash reproduces
// exactly the same numbers, and the puller's watermark makes delivery exactly-once.
import type { Observation } from '../correlate/types.js';

export interface Numbered {
  seq: number;
  obs: Observation;
}

export interface EvidenceLogState {
  next: number;
  items: Numbered[];
}

export class EvidenceLog {
  private items: Numbered[] = [];
  private next = 1;

  // Saved with every checkpoint: enough for a long partition's backlog, small enough to write each second.
  constructor(private readonly max = 5000) {}

  append(obs: Observation): number {
    const seq = this.next++;
    this.items.push({ seq, obs });
    if (this.items.length > this.max) this.items.splice(0, this.items.length - this.max);
    return seq;
  }

  /** Evidence with seq > after, oldest first, at most `limit`; `oldest` lets a puller see it missed some (the log wrapped). */
  after(after: number, limit = 5000): { items: Numbered[]; oldest: number; last: number } {
    const start = this.items.findIndex((i) => i.seq > after);
    const items = start < 0 ? [] : this.items.slice(start, start + limit);
    return { items, oldest: this.items[0]?.seq ?? this.next, last: this.next - 1 };
  }

  toState(): EvidenceLogState {
    return { next: this.next, items: this.items };
  }

  static fromState(state: EvidenceLogState | undefined, max?: number): EvidenceLog {
    const log = new EvidenceLog(max);
    if (state) {
      log.next = state.next;
      log.items = state.items.slice(-log.max);
    }
    return log;
  }
}

/** The puller's side: per peer node, the highest seq taken, so nothing is taken twice. */
export class Watermarks {
  private marks = new Map<string, number>();

  constructor(state?: Record<string, number>) {
    for (const [k, v] of Object.entries(state ?? {})) this.marks.set(k, v);
  }

  get(node: string): number {
    return this.marks.get(node) ?? 0;
  }

  /** Returns the items not yet taken and advances the mark. */
  take<T extends { seq: number }>(node: string, items: T[]): T[] {
    const mark = this.get(node);
    const fresh = items.filter((i) => i.seq > mark);
    if (fresh.length) this.marks.set(node, fresh[fresh.length - 1].seq);
    return fresh;
  }

  toState(): Record<string, number> {
    return Object.fromEntries(this.marks);
  }
}
