import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { propertyRuns } from '../../test/support/property-runs.js';
import { READ_FIELDS, readJournalLine } from './journal-line.js';
import type { JournalRecord } from './journal-record.js';

const wanted = (doc: Record<string, unknown>): JournalRecord =>
  Object.fromEntries([...READ_FIELDS].filter((k) => Object.hasOwn(doc, k)).map((k) => [k, doc[k]]));

const key = fc.oneof(fc.constantFrom(...READ_FIELDS, '_CMDLINE', '_PID', 'PRIORITY', 'a"b', 'x\\y', '__proto__'), fc.string({ maxLength: 12 }));
const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), fc.constantFrom('', '"', '\\', '\\"', 'msg="a \\"b\\""', '}', '{', ',', ':'));
const value = fc.oneof({ weight: 8, arbitrary: text }, { weight: 1, arbitrary: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 6 }) }, { weight: 1, arbitrary: fc.array(text, { maxLength: 3 }) });
const record = fc.dictionary(key, value, { maxKeys: 12 });

describe('readJournalLine', () => {
  it('reads exactly the wanted fields JSON.parse would, whatever the values hold', () => {
    fc.assert(
      fc.property(record, fc.boolean(), (doc, spaced) => {
        const line = spaced ? JSON.stringify(doc, null, 1) : JSON.stringify(doc);
        expect(readJournalLine(line)).toEqual(wanted(JSON.parse(line)));
      }),
      { numRuns: propertyRuns(2_000) },
    );
  });

  it('throws on every line cut short, as JSON.parse does', () => {
    fc.assert(
      fc.property(record, fc.nat(), (doc, at) => {
        const line = JSON.stringify(doc);
        const cut = line.slice(0, at % line.length);
        expect(() => readJournalLine(cut)).toThrow(SyntaxError);
      }),
      { numRuns: propertyRuns(2_000) },
    );
  });

  it('reads a real journalctl record: escapes in MESSAGE, byte arrays, the fields it does not need left out', () => {
    const line = JSON.stringify({
      __CURSOR: 's=1;i=2', __REALTIME_TIMESTAMP: '1763775868228708', _BOOT_ID: 'b', _CMDLINE: '/usr/sbin/dockerd -H fd://',
      MESSAGE: 'time="2026-11-22T01:44:28Z" level=error msg="heartbeat to manager { 10.213.0.11:2377} failed"',
      SYSLOG_IDENTIFIER: 'dockerd',
    });
    expect(readJournalLine(line)).toEqual({
      __CURSOR: 's=1;i=2', __REALTIME_TIMESTAMP: '1763775868228708', _BOOT_ID: 'b', SYSLOG_IDENTIFIER: 'dockerd',
      MESSAGE: 'time="2026-11-22T01:44:28Z" level=error msg="heartbeat to manager { 10.213.0.11:2377} failed"',
    });
    expect(readJournalLine('{"MESSAGE":[104,105,255],"_PID":"1"}')).toEqual({ MESSAGE: [104, 105, 255] });
    expect(() => readJournalLine('[1,2]')).toThrow(SyntaxError);
    expect(() => readJournalLine('null')).toThrow(SyntaxError);
  });
});
