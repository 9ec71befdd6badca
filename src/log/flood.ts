// Flood protection: a code logged more than `max` times within `windowMs` is collapsed. The lines past
// the max are not written, and when the window ends one report says how many there were. Pure: the
// caller passes the time, so tests need no timers.

export interface FloodLimits {
  max: number;
  windowMs: number;
}

export const DEFAULT_FLOOD_LIMITS: FloodLimits = { max: 20, windowMs: 60_000 };

/** What the WDG-LOG-001 line carries. */
export interface FloodReport {
  repeatedCode: string;
  /** Lines of the code in the window, the written ones included. */
  count: number;
  suppressed: number;
  windowMs: number;
  /** When the window began (ms since the epoch). */
  since: number;
}

interface Window {
  start: number;
  count: number;
  suppressed: number;
}

export class FloodGate {
  private readonly windows = new Map<string, Window>();
  private limits: FloodLimits;

  constructor(limits: FloodLimits = DEFAULT_FLOOD_LIMITS) {
    this.limits = { ...limits };
  }

  /** A config reload; windows already open keep counting under the new limits. */
  setLimits(limits: FloodLimits): void {
    this.limits = { ...limits };
  }

  /**
   * Whether a line of `code` at `now` may be written. When the code's previous window has ended and
   * suppressed lines, its report comes back too: the caller writes it before this line.
   */
  admit(code: string, now: number): { pass: boolean; report?: FloodReport } {
    let w = this.windows.get(code);
    let report: FloodReport | undefined;
    if (w && this.ended(w, now)) {
      report = this.reportOf(code, w);
      w = undefined;
    }
    if (!w) {
      w = { start: now, count: 0, suppressed: 0 };
      this.windows.set(code, w);
    }
    w.count++;
    const pass = w.count <= this.limits.max;
    if (!pass) w.suppressed++;
    return { pass, report };
  }

  /** Reports of every window ended by `now` that suppressed lines; ended windows are forgotten. */
  expire(now: number): FloodReport[] {
    const reports: FloodReport[] = [];
    for (const [code, w] of this.windows) {
      if (!this.ended(w, now)) continue;
      this.windows.delete(code);
      if (w.suppressed > 0) reports.push(this.toReport(code, w));
    }
    return reports;
  }

  /** When the earliest window that suppresses lines ends (for a timer), if any does. */
  nextDue(): number | undefined {
    let due: number | undefined;
    for (const w of this.windows.values()) {
      if (w.suppressed === 0) continue;
      const end = w.start + this.limits.windowMs;
      if (due === undefined || end < due) due = end;
    }
    return due;
  }

  private ended(w: Window, now: number): boolean {
    return now - w.start >= this.limits.windowMs;
  }

  private reportOf(code: string, w: Window): FloodReport | undefined {
    this.windows.delete(code);
    return w.suppressed > 0 ? this.toReport(code, w) : undefined;
  }

  private toReport(code: string, w: Window): FloodReport {
    return { repeatedCode: code, count: w.count, suppressed: w.suppressed, windowMs: this.limits.windowMs, since: w.start };
  }
}
