import { describe, it, expect } from 'vitest';
import { parseLogrusLine } from './parse.js';
import { parseIsoTime } from './iso-time.js';
import { CAPTURE_A, CAPTURE_A_NODES, captureLines, captureDir } from '../../../test/fixtures/shared.js';

const captureA = captureDir(CAPTURE_A);

describe(`real capture ${CAPTURE_A}`, () => {
  const files = CAPTURE_A_NODES.map((node) => ({ node, lines: captureLines(captureA!, `${node}.dockerd.log`) }));

  it('parses every line of the three daemon logs, none raw, every one with a time and a level', () => {
    for (const { node, lines } of files) {
      expect(lines.length, node).toBeGreaterThan(50);
      for (const line of lines) {
        const p = parseLogrusLine(line);
        expect(p.raw, line).toBeUndefined();
        expect(p.level, line).not.toBe('unknown');
        expect(p.msg.length, line).toBeGreaterThan(0);
        // the time field is the line's first 30 characters' worth: it must round-trip to the same second
        const stamp = /^time="([^"]+)"/.exec(line)![1];
        expect(new Date(p.time!).toISOString().slice(0, 19), line).toBe(stamp.slice(0, 19));
      }
    }
  });

  it('reads the heartbeat failure with its error, method and dotted keys', () => {
    const line = files[2].lines.find((l) => l.includes('heartbeat to manager'))!;
    const p = parseLogrusLine(line);
    expect(p.level).toBe('error');
    expect(p.msg).toBe('heartbeat to manager { 10.213.0.11:2377} failed');
    expect(p.fields.error).toBe('rpc error: code = DeadlineExceeded desc = context deadline exceeded');
    expect(p.fields.method).toBe('(*session).heartbeat');
    expect(p.fields.module).toBe('node/agent');
    expect(p.fields['node.id']).toBe('6kqqdrhr35xpr6nlxe6cnm6rv');
    expect(p.fields['session.id']).toBe('ygb3g6lanhnhvvid4bjyka82p');
    expect(p.time).toBeCloseTo(Date.UTC(2026, 10, 22, 1, 44, 28) + 228.708411, 3);
  });

  it('unescapes quotes inside msg and error, and keeps bare values like backoff=100ms', () => {
    const failed = files[2].lines.filter((l) => l.includes('agent: session failed')).map(parseLogrusLine);
    expect(failed.map((p) => p.fields.backoff)).toContain('100ms');
    const unavailable = failed.find((p) => p.fields.backoff === '300ms')!;
    expect(unavailable.fields.error).toBe(
      'rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing dial tcp 10.213.0.11:2377: connect: no route to host"',
    );
    const scheme = parseLogrusLine(files[2].lines.find((l) => l.includes('parsed scheme'))!);
    expect(scheme.msg).toBe('[core] parsed scheme: ""');
    expect(scheme.fields).toEqual({ module: 'grpc' });
    const nested = parseLogrusLine(files[0].lines.find((l) => l.includes('cleanup warnings'))!);
    expect(nested.level).toBe('warning');
    expect(nested.msg).toMatch(/^cleanup warnings time="2026-11-22T01:44:25Z" level=info msg="starting signal loop" .*\n$/);
  });
});

describe('logrus text', () => {
  it('takes fields in any order, with warning/warn/trace levels', () => {
    const p = parseLogrusLine('msg="hello world" module=x/y level=warning time="2026-01-02T03:04:05Z" a.b/c=1');
    expect(p).toEqual({ level: 'warning', msg: 'hello world', fields: { module: 'x/y', 'a.b/c': '1' }, time: Date.UTC(2026, 0, 2, 3, 4, 5) });
    expect(parseLogrusLine('level=warn msg=x').level).toBe('warning');
    expect(parseLogrusLine('level=trace msg=x').level).toBe('debug');
    expect(parseLogrusLine('level=verbose msg=x').level).toBe('unknown');
  });

  it('decodes Go escapes: \\" \\\\ \\n \\t \\xNN \\uNNNN, and keeps unknown ones as written', () => {
    const p = parseLogrusLine('level=info msg="a\\"b\\\\c\\nd\\te \\x41 \\u00e9 \\U0001F600 \\q"');
    expect(p.msg).toBe('a"b\\c\nd\te A é 😀 \\q');
  });

  it('accepts empty quoted values and a trailing CR/LF', () => {
    const p = parseLogrusLine('time="2026-01-02T03:04:05.5Z" level=info msg="" error=""\r\n');
    expect(p).toEqual({ level: 'info', msg: '', fields: { error: '' }, time: Date.UTC(2026, 0, 2, 3, 4, 5) + 500 });
  });

  it('keeps a line cut inside a quoted value (journal line limit)', () => {
    const p = parseLogrusLine('time="2026-01-02T03:04:05Z" level=error msg="heartbeat to manager {x 1.2.3.4:2377} fai');
    expect(p.raw).toBeUndefined();
    expect(p.msg).toBe('heartbeat to manager {x 1.2.3.4:2377} fai');
  });

  it('reads local-offset timestamps and leaves a bad one out', () => {
    expect(parseLogrusLine('time="2026-01-02T04:04:05.000000001+01:00" level=info msg=x').time).toBeCloseTo(
      Date.UTC(2026, 0, 2, 3, 4, 5) + 0.000001,
      6,
    );
    const bad = parseLogrusLine('time="yesterday" level=info msg=x');
    expect(bad.time).toBeUndefined();
    expect(bad.raw).toBeUndefined();
  });

  it('never lets a __proto__ key reach the prototype', () => {
    const p = parseLogrusLine('level=info msg=x __proto__=polluted constructor=y');
    expect(Object.getPrototypeOf(p.fields)).toBe(Object.prototype);
    expect(p.fields.constructor).toBe('y');
  });
});

describe('JSON log format (--log-format json)', () => {
  it('reads level, msg, time and turns other values into text', () => {
    const p = parseLogrusLine(
      '{"backoff":100000000,"error":"rpc error: code = Unavailable desc = x","level":"error","module":"node/agent","msg":"agent: session failed","node.id":"abc","time":"2026-11-22T01:44:29.020219311Z","ok":true,"obj":{"a":1},"nil":null}',
    );
    expect(p.level).toBe('error');
    expect(p.msg).toBe('agent: session failed');
    expect(p.time).toBeCloseTo(Date.UTC(2026, 10, 22, 1, 44, 29) + 20.219311, 3);
    expect(p.fields).toEqual({
      backoff: '100000000', error: 'rpc error: code = Unavailable desc = x', module: 'node/agent', 'node.id': 'abc',
      ok: 'true', obj: '{"a":1}', nil: '',
    });
  });

  it('is raw when it is not a JSON object with level or msg', () => {
    for (const line of ['{', '{"a":1}', '[1,2]', '{"level":1}', '{"msg":"x"']) expect(parseLogrusLine(line).raw, line).toBe(true);
  });
});

describe('terminal form (dockerd run in a shell)', () => {
  const pad = (msg: string) => msg.padEnd(44, ' ');
  it('reads level, full timestamp, padded msg and fields, with or without colours', () => {
    const plain = `ERRO[2026-11-22T01:44:28.228708411Z] ${pad('agent: session failed')}  backoff=100ms error="rpc error: code = DeadlineExceeded desc = context deadline exceeded" module=node/agent`;
    const coloured = `\x1b[31mERRO\x1b[0m[2026-11-22T01:44:28.228708411Z] ${pad('agent: session failed')}  \x1b[31mbackoff\x1b[0m=100ms \x1b[31merror\x1b[0m="rpc error: code = DeadlineExceeded desc = context deadline exceeded" \x1b[31mmodule\x1b[0m=node/agent`;
    for (const line of [plain, coloured]) {
      const p = parseLogrusLine(line);
      expect(p.level).toBe('error');
      expect(p.msg).toBe('agent: session failed');
      expect(p.fields).toEqual({ backoff: '100ms', error: 'rpc error: code = DeadlineExceeded desc = context deadline exceeded', module: 'node/agent' });
      expect(p.time).toBeCloseTo(Date.UTC(2026, 10, 22, 1, 44, 28) + 228.708411, 3);
    }
  });

  it('keeps a long msg with a=b inside it whole, and reads a msg without fields', () => {
    const msg = 'memberlist: Marking x as failed a=b  c, suspect timeout reached (0 peer confirmations)';
    expect(parseLogrusLine(`INFO[2026-11-22T01:44:28Z] ${msg}  module=m`)).toMatchObject({ msg, fields: { module: 'm' } });
    const p = parseLogrusLine(`INFO[0000] ${pad('Starting up')} `);
    expect(p).toEqual({ level: 'info', msg: 'Starting up', fields: {} });
  });
});

describe('anything else', () => {
  it('comes back raw with the whole line as msg', () => {
    for (const line of ['', 'goroutine 1 [running]:', 'panic: runtime error: index out of range', 'a=b c', '"quoted"', '=x', 'time="2026-01-01T00:00:00Z"', 'INFO[']) {
      expect(parseLogrusLine(line), JSON.stringify(line)).toEqual({ level: 'unknown', msg: line, fields: {}, raw: true });
    }
  });
});

describe('parseIsoTime', () => {
  it('keeps nanoseconds as a fraction of a millisecond and agrees with Date.parse to the millisecond', () => {
    const t = parseIsoTime('2026-11-22T01:44:28.228708411Z')!;
    expect(Math.floor(t)).toBe(Date.parse('2026-11-22T01:44:28.228Z'));
    expect(t - Math.floor(t)).toBeCloseTo(0.708411, 3); // a double holds ~0.25 µs at this magnitude
    expect(parseIsoTime('2026-11-22T01:44:28Z')).toBe(Date.parse('2026-11-22T01:44:28Z'));
    expect(parseIsoTime('2026-11-22T01:44:28.1-05:30')).toBe(Date.parse('2026-11-22T01:44:28.100-05:30'));
    expect(parseIsoTime('2026-11-22T01:44:28')).toBe(Date.UTC(2026, 10, 22, 1, 44, 28)); // no zone: UTC
    for (const bad of ['2026-13-22T01:44:28Z', '2026-11-22T01:44:28.Z', '2026-11-22 01:44', 'x'.repeat(30), '']) {
      expect(parseIsoTime(bad), bad).toBeUndefined();
    }
  });
});
