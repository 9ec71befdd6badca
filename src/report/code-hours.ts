// Log codes counted per clock hour for the status page's grid (codes × the last 24 hours). Bounded: at
// most maxCodes codes (the rest count as "other") and only the hours still inside the window are kept.
export const HOUR = 3_600_000;

export interface CodeHoursState {
  /** code → hour start (ms) → count */
  counts: Record<string, Record<string, number>>;
}

export interface CodeGridData {
  /** Start of each hour column, oldest first. */
  hours: number[];
  rows: { code: string; counts: number[]; total: number }[];
}

export const OTHER = 'other';

export class CodeHours {
  private counts = new Map<string, Map<number, number>>();

  constructor(
    private readonly hoursKept = 24,
    private readonly maxCodes = 200,
  ) {}

  add(code: string, time: number, n = 1): void {
    if (n <= 0) return;
    const key = this.counts.has(code) || this.counts.size < this.maxCodes ? code : OTHER;
    const hour = Math.floor(time / HOUR) * HOUR;
    const row = this.counts.get(key) ?? new Map<number, number>();
    row.set(hour, (row.get(hour) ?? 0) + n);
    this.counts.set(key, row);
  }

  /** The grid of the `hoursKept` hours ending with the one holding `now`; old hours are dropped. */
  grid(now: number): CodeGridData {
    const last = Math.floor(now / HOUR) * HOUR;
    const first = last - (this.hoursKept - 1) * HOUR;
    this.prune(first);
    const hours = Array.from({ length: this.hoursKept }, (_, i) => first + i * HOUR);
    const rows = [...this.counts].map(([code, row]) => {
      const counts = hours.map((h) => row.get(h) ?? 0);
      return { code, counts, total: counts.reduce((a, b) => a + b, 0) };
    });
    rows.sort((a, b) => b.total - a.total || (a.code < b.code ? -1 : 1));
    return { hours, rows: rows.filter((r) => r.total > 0) };
  }

  toState(): CodeHoursState {
    const counts: CodeHoursState['counts'] = {};
    for (const [code, row] of this.counts) counts[code] = Object.fromEntries([...row].map(([h, n]) => [String(h), n]));
    return { counts };
  }

  static fromState(state: CodeHoursState | undefined, hoursKept?: number, maxCodes?: number): CodeHours {
    const c = new CodeHours(hoursKept, maxCodes);
    for (const [code, row] of Object.entries(state?.counts ?? {})) {
      for (const [hour, n] of Object.entries(row)) if (Number.isFinite(Number(hour)) && n > 0) c.add(code, Number(hour), n);
    }
    return c;
  }

  private prune(first: number): void {
    for (const [code, row] of this.counts) {
      for (const h of row.keys()) if (h < first) row.delete(h);
      if (!row.size) this.counts.delete(code);
    }
  }
}

/** The same grid from a list of coded lines (diagnose: log files, no live counter). */
export function gridOf(lines: { code: string; time: number }[], now: number, hoursKept = 24): CodeGridData {
  const c = new CodeHours(hoursKept);
  for (const l of lines) c.add(l.code, l.time);
  return c.grid(now);
}
