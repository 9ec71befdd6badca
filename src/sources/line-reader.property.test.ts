// Every reader round-trips generated daemon lines in every form; garbage, UTF-16, NUL bytes and
// huge lines give counted unreadable lines, never a crash or a hang. Runs: WATCHDOG_PROPERTY_RUNS.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inputLines } from './file-input.js';
import { LineReader } from './line-reader.js';
import type { LineItem } from './line-item.js';
import { UTC_ZONE } from './text/zone.js';

const RUNS = Number(process.env.WATCHDOG_PROPERTY_RUNS ?? 100);
const LEVELS = ['debug', 'info', 'warning', 'error'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

const word = fc.stringMatching(/^[a-z0-9][a-z0-9.:-]{0,11}$/);
const entryArb = fc.record({
  time: fc.integer({ min: Date.UTC(2017, 0, 1), max: Date.UTC(2030, 0, 1) }),
  level: fc.constantFrom(...LEVELS),
  msg: fc.array(word, { minLength: 1, maxLength: 6 }).map((w) => w.join(' ')),
  fields: fc.dictionary(fc.stringMatching(/^[a-z][a-z.]{0,8}$/).filter((k) => !['time', 'level', 'msg'].includes(k)), word, { maxKeys: 3 }),
  host: fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/),
  pid: fc.integer({ min: 1, max: 4_000_000 }),
});
type Gen = typeof entryArb extends fc.Arbitrary<infer T> ? T : never;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const iso = (ms: number) => new Date(ms).toISOString();
const kv = (e: Gen) => `time="${iso(e.time)}" level=${e.level} msg="${e.msg}"${Object.entries(e.fields).map(([k, v]) => ` ${k}=${v}`).join('')}`;
const jsonLine = (e: Gen) => JSON.stringify({ ...e.fields, level: e.level, msg: e.msg, time: iso(e.time) });
const TERM = { debug: 'DEBU', info: 'INFO', warning: 'WARN', error: 'ERRO' };
const terminal = (e: Gen) => `${TERM[e.level]}[${iso(e.time)}] ${e.msg.padEnd(44)} ${Object.entries(e.fields).map(([k, v]) => ` ${k}=${v}`).join('')}`;

function wall(ms: number): { d: Date; hms: string } {
  const d = new Date(ms);
  return { d, hms: `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}` };
}

/** The forms, each as journalctl / rsyslog / dockerd writes it (message = the logrus line). */
const FORMS: Record<string, (e: Gen, message: string) => string[]> = {
  short: (e, m) => { const { d, hms } = wall(e.time); return [`${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${hms} ${e.host} dockerd[${e.pid}]: ${m}`]; },
  rfc3164: (e, m) => { const { d, hms } = wall(e.time); return [`${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${hms} ${e.host} dockerd[${e.pid}]: ${m}`]; },
  'short-iso': (e, m) => [`${iso(e.time).slice(0, 19)}+0000 ${e.host} dockerd[${e.pid}]: ${m}`],
  'short-iso-precise': (e, m) => [`${iso(e.time).slice(0, 23)}000+00:00 ${e.host} dockerd[${e.pid}]: ${m}`],
  'short-full': (e, m) => { const { d, hms } = wall(e.time); return [`${DAYS[d.getUTCDay()]} ${iso(e.time).slice(0, 10)} ${hms} UTC ${e.host} docker.service[${e.pid}]: ${m}`]; },
  'short-unix': (e, m) => [`${(e.time / 1000).toFixed(6)} ${e.host} dockerd[${e.pid}]: ${m}`],
  rfc5424: (e, m) => [`<30>1 ${iso(e.time)} ${e.host} dockerd ${e.pid} - - ${m}`],
  cat: (_, m) => [m],
  json: (e, m) => [JSON.stringify({ MESSAGE: m, _HOSTNAME: e.host, __REALTIME_TIMESTAMP: String(e.time * 1000), SYSLOG_IDENTIFIER: 'dockerd' })],
  'json-pretty': (e, m) => ['{', `\t"MESSAGE" : ${JSON.stringify(m)},`, `\t"_HOSTNAME" : "${e.host}",`, `\t"__REALTIME_TIMESTAMP" : "${e.time * 1000}"`, '}'],
  export: (e, m) => [`__CURSOR=s=x;i=1`, `__REALTIME_TIMESTAMP=${e.time * 1000}`, `_HOSTNAME=${e.host}`, 'SYSLOG_IDENTIFIER=dockerd', `MESSAGE=${m}`, ''],
};

function readAll(lines: string[]): { items: LineItem[]; reader: LineReader } {
  const reader = new LineReader('gen', { fallbackNode: 'file', year: 2026, zone: UTC_ZONE });
  const items = [...lines.flatMap((l) => reader.push(l)), ...reader.end()];
  return { items, reader };
}

describe('every reader round-trips generated daemon lines', () => {
  for (const [form, render] of Object.entries(FORMS)) {
    for (const [shape, message] of [['key=value', kv], ['json', jsonLine], ['terminal', terminal]] as const) {
      it(`${form} × ${shape}`, () => {
        fc.assert(
          fc.property(fc.array(entryArb, { minLength: 1, maxLength: 4 }), (gens) => {
            const { items, reader } = readAll(gens.flatMap((g) => render(g, message(g))));
            expect(items).toHaveLength(gens.length);
            gens.forEach((g, i) => {
              const item = items[i];
              if (item.kind !== 'daemon') throw new Error(`${form}: ${item.kind}`);
              expect(item.entry).toMatchObject({ level: g.level, msg: g.msg.trimEnd(), fields: g.fields, time: g.time });
              expect(item.entry.raw).toBeUndefined();
              expect(item.entry.node).toBe(form === 'cat' ? 'file' : g.host);
            });
            expect(reader.stats.unreadable).toBe(0);
          }),
          { numRuns: RUNS },
        );
      });
    }
  }
});

describe('hostile input is counted, never a crash or a hang', () => {
  it('arbitrary text, NUL bytes and control characters', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 300 }), { maxLength: 20 }), (lines) => {
        const { reader } = readAll(lines);
        const s = reader.stats;
        expect(s.daemon + s.unit + s.boots + s.container + s.other + s.unreadable).toBeLessThanOrEqual(s.lines);
      }),
      { numRuns: RUNS * 2 },
    );
    const { reader } = readAll(['\u0000\u0001\u0002', 'Nov 22 01:47:17 node2 dockerd[1]: \u0000\u0000', '{"MESSAGE":', '{']);
    expect(reader.stats.unreadable).toBe(4);
  });

  it('a UTF-16 file, a 10 MB line and a file of NUL bytes, read from disk', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wdg-prop-'));
    const line = 'time="2026-11-22T01:47:17Z" level=info msg="Starting up"';
    writeFileSync(join(dir, 'utf16.log'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${line}\n${line}\n`, 'utf16le')]));
    writeFileSync(join(dir, 'utf16-nobom.log'), Buffer.from(`${line}\n`, 'utf16le'));
    writeFileSync(join(dir, 'huge.log'), `${'x'.repeat(10 * 1024 * 1024)}\n${line}\n`);
    writeFileSync(join(dir, 'nul.log'), Buffer.alloc(3 * 1024 * 1024));
    const read = async (file: string) => {
      const reader = new LineReader(file, { fallbackNode: 'n', year: 2026, zone: UTC_ZONE });
      for await (const l of inputLines({ file: join(dir, file) })) reader.push(l);
      reader.end();
      return reader.stats;
    };
    expect(await read('utf16.log')).toMatchObject({ daemon: 2, unreadable: 0 });
    expect(await read('utf16-nobom.log')).toMatchObject({ daemon: 1, unreadable: 0 });
    expect(await read('huge.log')).toMatchObject({ lines: 2, daemon: 1, unreadable: 1 });
    expect(await read('nul.log')).toMatchObject({ lines: 1, daemon: 0, unreadable: 1 });
  }, 30_000);
});
