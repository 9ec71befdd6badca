import { afterEach, describe, expect, it } from 'vitest';
import { scriptedJournalctl, until } from '../../test/support/fake-journalctl.js';
import { captureLog } from '../../test/support/log-capture.js';
import { createLogger } from '../log/logger.js';
import type { JournalRecord } from '../sources/journal-record.js';
import { holdingClock } from './clock.js';
import { JournalctlSource } from './journalctl.js';

const T0 = 1_796_000_000_000_000; // µs
const entry = (cursor: string, us: number) => JSON.stringify({ __CURSOR: cursor, __REALTIME_TIMESTAMP: String(us), MESSAGE: cursor });

describe('JournalctlSource resuming', () => {
  let source: JournalctlSource | undefined;
  afterEach(async () => source?.stop());

  const follow = (command: string) => {
    const out = captureLog();
    source = new JournalctlSource({ command, matches: ['SYSLOG_IDENTIFIER=x'], lookbackMs: 0, backoffMaxMs: 1000 }, createLogger({ destination: out.destination, level: 'debug' }), holdingClock);
    const seen: string[] = [];
    return { out, seen, onRecord: (r: JournalRecord) => seen.push(String(r.__CURSOR)) };
  };

  it('at a cursor whose entry was vacuumed: reads every entry still there and logs the gap with its span', async () => {
    const fake = scriptedJournalctl([
      { out: [entry('c1', T0), entry('c2', T0 + 1_000_000)], end: true },
      { out: [entry('c7', T0 + 61_000_000), entry('c8', T0 + 62_000_000)] }, // c2 … c6 are gone
    ]);
    const { out, seen, onRecord } = follow(fake.command);
    source!.start({}, onRecord);
    await until('both runs', () => seen.length === 4);
    expect(seen).toEqual(['c1', 'c2', 'c7', 'c8']); // --after-cursor would have skipped c7 unseen
    expect(fake.args()[1]).toMatch(/--cursor=c2 --no-tail SYSLOG_IDENTIFIER=x$/);
    const gap = out.lines.filter((l) => l.code === 'WDG-JOURNAL-005');
    expect(gap).toHaveLength(1);
    expect(gap[0]).toMatchObject({ gapFrom: new Date((T0 + 1_000_000) / 1000).toISOString(), gapTo: new Date((T0 + 61_000_000) / 1000).toISOString(), gapSeconds: 60 });
  });

  it('at a cursor whose entry is still there: drops that entry (handled already) and logs no gap', async () => {
    const fake = scriptedJournalctl([
      { out: [entry('c1', T0), entry('c2', T0 + 1)], end: true },
      { out: [entry('c2', T0 + 1), entry('c3', T0 + 2)] },
    ]);
    const { out, seen, onRecord } = follow(fake.command);
    source!.start({}, onRecord);
    await until('both runs', () => seen.length === 3);
    expect(seen).toEqual(['c1', 'c2', 'c3']);
    expect(out.lines.map((l) => l.code)).not.toContain('WDG-JOURNAL-005');
  });

  it('a cursor journalctl refuses: resumes from the last entry\'s time, once, without reading it twice', async () => {
    const fake = scriptedJournalctl([
      { out: [], err: 'Failed to seek to cursor: Invalid argument' },
      { out: [entry('c4', T0 - 5), entry('c5', T0), entry('c6', T0 + 7)] },
    ]);
    const { out, seen, onRecord } = follow(fake.command);
    source!.start({ cursor: 'not-a-cursor', realtimeUs: T0 }, onRecord);
    await until('the run by time', () => seen.length === 1);
    const args = fake.args();
    expect(args[0]).toContain('--cursor=not-a-cursor');
    expect(args[1]).toMatch(new RegExp(`--since=@${Math.floor(T0 / 1e6)} --no-tail SYSLOG_IDENTIFIER=x$`));
    expect(seen).toEqual(['c6']);
    expect(out.lines.filter((l) => l.code === 'WDG-JOURNAL-010')).toHaveLength(1);
  });
});
