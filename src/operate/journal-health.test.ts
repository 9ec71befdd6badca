import { describe, expect, it } from 'vitest';
import { JOURNAL_LAG_LIMITS, journalHealth } from './journal-health.js';

const now = 1_796_000_000_000;
const limits = { maxLagMs: 30_000, idleMs: 5_000 };

describe('journal health', () => {
  it('is ERROR while journalctl is not running, whatever was read', () => {
    expect(journalHealth(false, { entryTime: now, handledAt: now }, now, limits)).toEqual({ status: 'ERROR', detail: 'journalctl is not running (restarting with backoff)' });
    expect(journalHealth(false, undefined, now, limits).status).toBe('ERROR');
  });

  it('is OK before any entry and while entries are handled fresh', () => {
    expect(journalHealth(true, undefined, now, limits)).toEqual({ status: 'OK' });
    expect(journalHealth(true, { entryTime: now - 30_000, handledAt: now - 1_000 }, now, limits)).toEqual({ status: 'OK' });
  });

  it('is LAGGING while the entries it is reading are older than maxLag', () => {
    expect(journalHealth(true, { entryTime: now - 91_000, handledAt: now - 1_000 }, now, limits)).toEqual({ status: 'LAGGING', detail: 'reading entries 90 s old (more than 30 s behind the journal)' });
    expect(journalHealth(true, { entryTime: now - 31_000, handledAt: now }, now, limits).status).toBe('LAGGING');
  });

  it('is OK again once the reader went idle: the backlog is read, a quiet daemon is no lag', () => {
    const read = { entryTime: now - 600_000, handledAt: now - 5_000 };
    expect(journalHealth(true, read, now - 1, limits).status).toBe('LAGGING');
    expect(journalHealth(true, read, now, limits)).toEqual({ status: 'OK' });
  });

  it('uses 30 s of lag and 5 s idle by default', () => {
    expect(JOURNAL_LAG_LIMITS).toEqual(limits);
    expect(journalHealth(true, { entryTime: now - 31_000, handledAt: now }, now).status).toBe('LAGGING');
  });
});
