import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { parseLogrusLine } from './parse.js';
import { propertyRuns } from '../../../test/support/property-runs.js';
import type { ParsedLine } from './parsed-line.js';
import { ADVERSARIAL_LINES } from './adversarial-lines.js';
import { CAPTURE_A, CAPTURE_A_NODES, captureLines, captureDir } from '../../../test/fixtures/shared.js';

const LEVELS = new Set(['debug', 'info', 'warning', 'error', 'fatal', 'panic', 'unknown']);

// Real-shaped seeds: the capture when it is there, plus a few written here so the test never runs empty.
const captureA = captureDir(CAPTURE_A);
const SEEDS = [
  'time="2026-11-22T01:44:28.228708411Z" level=error msg="heartbeat to manager { 10.213.0.11:2377} failed" error="rpc error: code = DeadlineExceeded desc = context deadline exceeded" method="(*session).heartbeat" module=node/agent node.id=6kqqdrhr35xpr6nlxe6cnm6rv',
  'time="2026-11-22T01:44:28.228905701Z" level=info msg="[core] parsed scheme: \\"\\"" module=grpc',
  '{"level":"info","msg":"memberlist: Suspect c5006b5f915a has failed, no acks received","time":"2026-11-22T01:44:25.166589767Z"}',
  `\x1b[36mINFO\x1b[0m[2026-11-22T01:44:28.228708411Z] ${'Starting up'.padEnd(44)}  \x1b[36mmodule\x1b[0m=node/agent`,
  ...CAPTURE_A_NODES.flatMap((node) => captureLines(captureA, `${node}.dockerd.log`)),
];

function checkShape(line: string, p: ParsedLine): void {
  expect(LEVELS.has(p.level)).toBe(true);
  expect(typeof p.msg).toBe('string');
  expect(Object.getPrototypeOf(p.fields)).toBe(Object.prototype);
  for (const v of Object.values(p.fields)) expect(typeof v).toBe('string');
  if (p.time !== undefined) expect(Number.isFinite(p.time)).toBe(true);
  if (p.raw) expect(p).toEqual({ level: 'unknown', msg: line, fields: {}, raw: true });
}

const NASTY = ['"', '\\', '=', ' ', '\\"', '\\\\', '\\x', '\\u12', '{', '}', '\x1b[', 'INFO[', '\n', '\t', '\u0000', '\ud800', '  '];

/** A real line changed the ways broken logs change: cut, spliced, salted with quotes and escapes, blown up. */
const mutated = fc
  .tuple(
    fc.constantFrom(...SEEDS),
    fc.array(
      fc.oneof(
        fc.record({ op: fc.constant('cut' as const), at: fc.nat() }),
        fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(...NASTY), fc.string({ unit: 'binary', maxLength: 8 })) }),
        fc.record({ op: fc.constant('delete' as const), at: fc.nat(), n: fc.integer({ min: 1, max: 5 }) }),
        fc.record({ op: fc.constant('repeat' as const), at: fc.nat(), n: fc.integer({ min: 2, max: 2000 }) }),
      ),
      { maxLength: 6 },
    ),
  )
  .map(([seed, ops]) => {
    let s = seed;
    for (const o of ops) {
      const at = s.length ? o.at % (s.length + 1) : 0;
      if (o.op === 'cut') s = s.slice(0, at);
      else if (o.op === 'insert') s = s.slice(0, at) + o.text + s.slice(at);
      else if (o.op === 'delete') s = s.slice(0, at) + s.slice(at + o.n);
      else s = s.slice(0, at) + s.slice(at, at + 3).repeat(o.n) + s.slice(at + 3);
    }
    return s;
  });

// Go's %q, as logrus quotes a value that is not all [a-zA-Z0-9-._/@^+].
function goQuote(v: string): string {
  if (v.length > 0 && /^[A-Za-z0-9\-._/@^+]+$/.test(v)) return v;
  let out = '"';
  for (const ch of v) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + '"';
}

describe('parseLogrusLine on hostile input', () => {
  it('never throws and always returns a well-formed result on mutated real lines (WATCHDOG_PROPERTY_RUNS scales the count)', () => {
    fc.assert(
      fc.property(mutated, (line) => {
        checkShape(line, parseLogrusLine(line));
      }),
      { numRuns: propertyRuns(3_000) },
    );
  });

  it('never throws on random strings of any characters', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ unit: fc.constantFrom(...NASTY, 'a', 'level', 'msg', 'time'), maxLength: 80 })), (line) => {
        checkShape(line, parseLogrusLine(line));
      }),
      { numRuns: propertyRuns(2_000) },
    );
  });

  it('reads back exactly what logrus would write for any message and fields', () => {
    const key = fc.stringMatching(/^[a-z][a-z0-9._/]{0,10}$/).filter((k) => !['time', 'level', 'msg', '__proto__'].includes(k));
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), fc.dictionary(key, fc.string({ unit: 'binary', maxLength: 30 }), { maxKeys: 5 }), (msg, fields) => {
        const line = `time="2026-11-22T01:44:28.228708411Z" level=info msg=${goQuote(msg)}` + Object.entries(fields).map(([k, v]) => ` ${k}=${goQuote(v)}`).join('');
        const p = parseLogrusLine(line);
        expect(p.msg).toBe(msg);
        expect(p.fields).toEqual(fields);
        expect(p.level).toBe('info');
      }),
      { numRuns: propertyRuns(1_000) },
    );
  });
});

describe('adversarial long lines', () => {
  // How the cost grows with line length is measured in `npm run bench` (scripts/bench/parse-linearity.ts).
  // Here each 1 MB pattern must parse at all: a quadratic parser needs ~1e12 steps and hits the timeout.
  for (const [name, make] of Object.entries(ADVERSARIAL_LINES)) {
    it(name, () => {
      const parsed = parseLogrusLine(make(1_000_000));
      expect(parsed === null || typeof parsed === 'object').toBe(true);
    });
  }
});
