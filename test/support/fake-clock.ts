import type { Clock } from '../../src/adapters/clock.js';

/** A clock tests move by hand; timers fire in time order as it advances. */
export class FakeClock implements Clock {
  private timers: Array<{ at: number; fn: () => void; seq: number }> = [];
  private seq = 0;

  constructor(private t = 0) {}

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number) {
    const timer = { at: this.t + ms, fn, seq: this.seq++ };
    this.timers.push(timer);
    return { cancel: () => { this.timers = this.timers.filter((x) => x !== timer); } };
  }

  /** Advances time, firing due timers and letting the promises they start settle. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      await new Promise((r) => setImmediate(r));
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.timers.shift();
      this.t = next.at;
      next.fn();
    }
    this.t = end;
    await new Promise((r) => setImmediate(r));
  }

  /** Advances time in steps until `p` settles (at most `limitMs`), and returns its result. */
  async until<T>(p: Promise<T>, stepMs = 100, limitMs = 3_600_000): Promise<T> {
    let settled = false;
    const done = p.finally(() => {
      settled = true;
    });
    done.catch(() => undefined);
    for (let t = 0; !settled && t < limitMs; t += stepMs) await this.advance(stepMs);
    if (!settled) throw new Error(`fake clock: still pending after ${limitMs} ms`);
    return done;
  }
}
