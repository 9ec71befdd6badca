import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { captureLog } from '../../test/support/log-capture.js';
import { createLogger } from '../log/logger.js';
import type { JournalRecord } from '../sources/journal-record.js';
import { holdingClock } from './clock.js';
import { JournalctlSource, type JournalOptions } from './journalctl.js';

// A stand-in for journalctl: notes its arguments, prints three entries whose cursors name its run,
// then follows (sleeps) until it is killed.
function fakeJournalctl(dir: string): { command: string; runs: () => string[] } {
  const argsFile = join(dir, 'args');
  const command = join(dir, 'journalctl');
  writeFileSync(command, `#!/bin/sh
echo "$*" >> ${argsFile}
run=$(wc -l < ${argsFile})
for i in 1 2 3; do echo "{\\"__CURSOR\\":\\"r$run-e$i\\",\\"MESSAGE\\":\\"entry $i\\"}"; done
exec sleep 60
`);
  chmodSync(command, 0o755);
  return { command, runs: () => readFileSync(argsFile, 'utf8').trim().split('\n') };
}

const until = async (what: string, ok: () => boolean) => {
  for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 25));
  if (!ok()) throw new Error(`timed out waiting for ${what}`);
};

describe('JournalctlSource.reconfigure', () => {
  let source: JournalctlSource | undefined;
  afterEach(async () => source?.stop());

  it('restarts journalctl with new matches after the last entry read, without a failure line', async () => {
    const fake = fakeJournalctl(mkdtempSync(join(tmpdir(), 'wdg-jctl-')));
    const out = captureLog();
    const opts: JournalOptions = { command: fake.command, matches: ['SYSLOG_IDENTIFIER=a'], lookbackMs: 0, backoffMaxMs: 1000 };
    source = new JournalctlSource(opts, createLogger({ destination: out.destination, level: 'debug' }), holdingClock);
    const seen: JournalRecord[] = [];
    source.start({}, (r) => seen.push(r));
    await until('the first run', () => seen.length === 3);

    source.reconfigure({ ...opts, lookbackMs: 5000 }); // not a journalctl argument once started: no restart
    source.reconfigure({ ...opts, matches: ['SYSLOG_IDENTIFIER=b'] });
    await until('the second run', () => seen.length === 6);

    const runs = fake.runs();
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
