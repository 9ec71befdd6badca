// Where journalctl starts again, and which of its first records were already handled. Pure.
//
// At a cursor, journalctl prints the cursor's own entry first: we drop it. When that entry is gone
// (rotated and vacuumed), the first record is a later one: the span between is a gap we could not
// read, reported once. Without a usable cursor we resume by time, from the last handled entry's
// second, and drop what is not newer than that entry.
import type { JournalPosition } from './journal-args.js';
import type { JournalRecord } from '../sources/journal-record.js';

/** Where to resume: the last handled entry's cursor and realtime (µs, as the journal gives it). */
export interface ResumePoint {
  cursor?: string;
  realtimeUs?: number;
}

export interface Gap {
  /** The last handled entry's time (ms), or undefined when even that is not known. */
  fromMs?: number;
  /** The first entry read after it (ms). */
  toMs?: number;
}

export type Admit = { pass: boolean; gap?: Gap };

export class ResumeGate {
  private expectCursor?: string;
  private checkGap = false;
  private notAfterUs?: number;

  /**
   * The position for the next journalctl. `cursorUsable` false: journalctl refused the cursor;
   * `sameMatches` false: the matches changed, so the cursor's entry may not be printed at all.
   */
  position(at: ResumePoint, cursorUsable: boolean, sameMatches: boolean): Pick<JournalPosition, 'atCursor' | 'sinceMs'> {
    this.expectCursor = undefined;
    this.notAfterUs = undefined;
    if (at.cursor && cursorUsable) {
      this.expectCursor = at.cursor;
      this.checkGap = sameMatches;
      return { atCursor: at.cursor };
    }
    const us = at.realtimeUs ?? (at.cursor ? cursorTimeUs(at.cursor) : undefined);
    if (us === undefined) return {};
    this.notAfterUs = us;
    return { sinceMs: us / 1000 };
  }

  /** Whether a record is new; the first one after a vanished cursor carries the gap. */
  admit(record: JournalRecord, at: ResumePoint): Admit {
    const us = realtimeUs(record);
    if (this.expectCursor !== undefined) {
      const expected = this.expectCursor;
      this.expectCursor = undefined;
      if (record.__CURSOR === expected) return { pass: false };
      if (!this.checkGap) return { pass: true };
      const fromUs = at.realtimeUs ?? cursorTimeUs(expected);
      const fromMs = fromUs !== undefined ? fromUs / 1000 : undefined;
      return { pass: true, gap: { fromMs, toMs: us !== undefined ? us / 1000 : undefined } };
    }
    if (this.notAfterUs !== undefined) {
      if (us !== undefined && us <= this.notAfterUs) return { pass: false };
      this.notAfterUs = undefined;
    }
    return { pass: true };
  }
}

export function realtimeUs(record: JournalRecord): number | undefined {
  const us = Number(record.__REALTIME_TIMESTAMP);
  return typeof record.__REALTIME_TIMESTAMP === 'string' && Number.isFinite(us) && us > 0 ? us : undefined;
}

/** The realtime (µs) a cursor names (its t= field), if it is a journal cursor at all. */
function cursorTimeUs(cursor: string): number | undefined {
  const m = /(?:^|;)t=([0-9a-f]{1,15})(?:;|$)/.exec(cursor);
  return m ? parseInt(m[1], 16) : undefined;
}
