import type { ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { scriptedJournalctl, until } from '../../test/support/fake-journalctl.js';
import { captureLog } from '../../test/support/log-capture.js';
import { createLogger } from '../log/logger.js';
import type { JournalRecord } from '../sources/journal-record.js';
import { holdingClock } from './clock.js';
import { JournalctlSource, type JournalOptions } from './journalctl.js';

// Each run prints three entries whose cursors name the run, then follows until it is killed.
const run = (n: number) => ({ out: [1, 2, 3].map((i) => JSON.stringify({ __CURSOR: `r${n}-e${i}`, MESSAGE: `entry ${i}` })) });

describe('JournalctlSource.reconfigure', () => {
  let source: JournalctlSource | undefined;
  afterEach(async () => source?.stop());

  it('restarts journalctl with new matches after the last entry read, without a failure line', async () => {
    const fake = scriptedJournalctl([run(1), run(2), run(3)]);
    const out = captureLog();
    const opts: JournalOptions = { command: fake.command, matches: ['SYSLOG_IDENTIFIER=a'], lookbackMs: 0, backoffMaxMs: 1000 };
    source = new JournalctlSource(opts, createLogger({ destination: out.destination, level: 'debug' }), holdingClock);
    const seen: JournalRecord[] = [];
    source.start({}, (r) => seen.push(r));
    await until('the first run', () => seen.length === 3);

    source.reconfigure({ ...opts, lookbackMs: 5000 }); // not a journalctl argument once started: no restart
    source.reconfigure({ ...opts, matches: ['SYSLOG_IDENTIFIER=b'] });
    await until('the second run', () => seen.length === 6);

    const runs = fake.args();
    expect(runs).toHaveLength(2);
    expect(runs[0]).toMatch(/--lines=0 SYSLOG_IDENTIFIER=a$/);
    expect(runs[1]).toMatch(/--cursor=r1-e3 --no-tail SYSLOG_IDENTIFIER=b$/);
    expect(seen.map((r) => r.__CURSOR)).toEqual(['r1-e1', 'r1-e2', 'r1-e3', 'r2-e1', 'r2-e2', 'r2-e3']);
    const codes = out.lines.map((l) => l.code);
    expect(codes.filter((c) => c === 'WDG-JOURNAL-009')).toHaveLength(1);
    expect(codes).not.toContain('WDG-JOURNAL-002');
    expect(codes).not.toContain('WDG-JOURNAL-004');
  });
});

describe('JournalctlSource.stop', () => {
  it('kills a journalctl that ignores SIGTERM instead of waiting for it forever', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wdg-jstop-'));
    const command = join(dir, 'journalctl');
    // the ignored signal is inherited through exec: sleep goes only on SIGKILL
    writeFileSync(command, `#!/bin/sh\necho '{"__CURSOR":"c1","MESSAGE":"m"}'\ntrap '' TERM\nexec sleep 60\n`);
    chmodSync(command, 0o755);
    const source = new JournalctlSource({ command, matches: [], lookbackMs: 0, backoffMaxMs: 1000 }, createLogger({ destination: captureLog().destination }), holdingClock);
    const seen: JournalRecord[] = [];
    source.start({}, (r) => seen.push(r));
    await until('the first entry', () => seen.length === 1);
    const child = (source as unknown as { child: ChildProcess }).child;
    await source.stop();
    await until('journalctl killed', () => child.signalCode !== null);
    expect(child.signalCode).toBe('SIGKILL');
  });
});
