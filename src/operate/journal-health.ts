// The journal's /health/status entry. LAGGING: the reader handles entries that are old while it is still
// reading (a backlog after a restart or a lookback, or a reader slower than the daemon writes). A quiet
// daemon is no lag: journalctl follows as fast as we read, so no entry for a while means caught up.
import type { HealthStatus } from './health.js';

/** The newest journal entry handled: the entry's own time and when it was handled (ms since the epoch). */
export interface JournalRead {
  entryTime: number;
  handledAt: number;
}

export interface JournalLagLimits {
  /** An entry older than this when handled means the reader is behind. */
  maxLagMs: number;
  /** No entry handled for this long: the reader has read all there was (the lag is over). */
  idleMs: number;
}

/** 30 s behind delays every alert by as much; backlog entries come milliseconds apart, so 5 s idle is caught up. */
export const JOURNAL_LAG_LIMITS: JournalLagLimits = { maxLagMs: 30_000, idleMs: 5_000 };

export function journalHealth(running: boolean, last: JournalRead | undefined, now: number, limits: JournalLagLimits = JOURNAL_LAG_LIMITS): { status: HealthStatus; detail?: string } {
  if (!running) return { status: 'ERROR', detail: 'journalctl is not running (restarting with backoff)' };
  if (!last || now - last.handledAt >= limits.idleMs) return { status: 'OK' };
  const lag = last.handledAt - last.entryTime;
  if (lag <= limits.maxLagMs) return { status: 'OK' };
  return { status: 'LAGGING', detail: `reading entries ${Math.round(lag / 1000)} s old (more than ${Math.round(limits.maxLagMs / 1000)} s behind the journal)` };
}
