// Every application log code seen, counted by code, for the daily summary. Bounded: past maxCodes
// distinct codes, new ones are only counted as "other" (a code per request id would otherwise grow forever).
import type { AppCodeObservation } from './types.js';

export interface CodeCount {
  code: string;
  count: number;
  first: number;
  last: number;
  /** Services that emitted it (at most maxServicesPerCode). */
  services: string[];
}

export interface CodeCounterState {
  codes: CodeCount[];
  other: number;
}

export class CodeCounter {
  private codes = new Map<string, CodeCount>();
  private other = 0;

  constructor(
    private readonly maxCodes = 1_000,
    private readonly maxServicesPerCode = 20,
  ) {}

  add(obs: Pick<AppCodeObservation, 'code' | 'service' | 'time'>): void {
    let c = this.codes.get(obs.code);
    if (!c) {
      if (this.codes.size >= this.maxCodes) {
        this.other++;
        return;
      }
      c = { code: obs.code, count: 0, first: obs.time, last: obs.time, services: [] };
      this.codes.set(obs.code, c);
    }
    c.count++;
    c.first = Math.min(c.first, obs.time);
    c.last = Math.max(c.last, obs.time);
    if (!c.services.includes(obs.service) && c.services.length < this.maxServicesPerCode) c.services.push(obs.service);
  }

  /** Counts so far, most frequent first; `other` counts codes that did not fit. */
  snapshot(): CodeCounterState {
    const codes = [...this.codes.values()].map((c) => ({ ...c, services: [...c.services] }));
    codes.sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
    return { codes, other: this.other };
  }

  /** Starts a new period (after the daily summary was sent). */
  reset(): void {
    this.codes.clear();
    this.other = 0;
  }

  toState(): CodeCounterState {
    return this.snapshot();
  }

  static fromState(state: CodeCounterState, maxCodes?: number, maxServicesPerCode?: number): CodeCounter {
    const c = new CodeCounter(maxCodes, maxServicesPerCode);
    for (const code of state.codes.slice(0, c.maxCodes)) c.codes.set(code.code, { ...code, services: [...code.services] });
    c.other = state.other;
    return c;
  }
}
