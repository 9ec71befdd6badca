// A bound on a metric's label values: a label per request id or UUID would grow /metrics without end.
// The first `max` values keep a series of their own for the life of the process (a counter must
// not move between series), everything after is counted under `other`. Pure.

export const OTHER = 'other';

export class LabelCap {
  private readonly own = new Set<string>();
  private readonly folded = new Set<string>();
  private foldedBeyond = 0;

  constructor(
    private readonly max: number,
    /** Distinct folded values remembered to count each once; past it, every fold counts. */
    private readonly remember = 10_000,
  ) {}

  /** The label to count `value` under; `folded` is true the first time a value lands in `other`. */
  label(value: string): { label: string; folded: boolean } {
    if (this.own.has(value)) return { label: value, folded: false };
    if (this.own.size < this.max && value !== OTHER) {
      this.own.add(value);
      return { label: value, folded: false };
    }
    if (this.folded.has(value)) return { label: OTHER, folded: false };
    if (this.folded.size < this.remember) this.folded.add(value);
    else this.foldedBeyond++;
    return { label: OTHER, folded: true };
  }

  /** How many distinct values were folded into `other` (an upper bound past `remember`). */
  get foldedCount(): number {
    return this.folded.size + this.foldedBeyond;
  }
}
