import { describe, expect, it } from 'vitest';
import type { LineItem } from '../line-item.js';
import { LineReader } from '../line-reader.js';
import { readTextLine, type TextContext } from './read-line.js';
import { UTC_ZONE, zoneFor } from './zone.js';

const ctx = (over: Partial<TextContext> = {}): TextContext => ({ fallbackNode: 'file', year: 2026, zone: UTC_ZONE, ...over });
const LOGRUS = 'time="2026-11-22T01:47:17.2Z" level=error msg="agent: session failed" error="rpc error: code = DeadlineExceeded desc = x" backoff=100ms';

// logrus's coloured form pads the message to 44 columns ("%-44s "), then " key=value" per field
const PADDED = `${'agent: session failed'.padEnd(44)}  backoff=100ms`;

function daemon(item: LineItem) {
  if (item.kind !== 'daemon') throw new Error(`not a daemon line: ${item.kind}`);
  return item.entry;
}

describe('text line forms, each line on its own', () => {
  it.each([
    ['short', `Nov 22 01:47:17 node2 dockerd[1002]: ${LOGRUS}`],
    ['short-precise', `Nov 22 01:47:17.123456 node2 dockerd[1002]: ${LOGRUS}`],
    ['short-iso', `2026-11-22T01:47:17+0000 node2 dockerd[1002]: ${LOGRUS}`],
    ['short-iso-precise', `2026-11-22T02:47:17.123456+01:00 node2 dockerd[1002]: ${LOGRUS}`],
    ['short-full', `Sun 2026-11-22 01:47:17 UTC node2 dockerd[1002]: ${LOGRUS}`],
    ['short-full', `Sun 2026-11-22 01:47:17 UTC node2 docker.service[1002]: ${LOGRUS}`],
    ['short-unix', `1795311437.123456 node2 dockerd[1002]: ${LOGRUS}`],
    ['short', `Nov 22 01:47:17 node2 docker[1002]: ${LOGRUS}`],
    ['short', `Nov 22 01:47:17 dockerd[1002]: ${LOGRUS}`],
    ['short', `Nov 22 01:47:17 node2 dockerd: ${LOGRUS}`],
    ['rfc5424', `<30>1 2026-11-22T01:47:17.123456+00:00 node2 dockerd 1002 - - ${LOGRUS}`],
    ['rfc5424', `<30>1 2026-11-22T01:47:17.123456+00:00 node2 dockerd 1002 - [meta sequenceId="1" x="a\\]b"] ${LOGRUS}`],
    ['short', `<30>Nov 22 01:47:17 node2 dockerd[1002]: ${LOGRUS}`],
    ['plain', LOGRUS],
  ])('%s: %s', (format, line) => {
    const read = readTextLine(line, ctx());
    expect(read.format).toBe(format);
    const e = daemon(read.item);
    expect(e).toMatchObject({ level: 'error', msg: 'agent: session failed', fields: { backoff: '100ms' } });
    expect(new Date(e.time).toISOString()).toBe('2026-11-22T01:47:17.200Z');
    expect(e.node).toBe(line.includes('node2') ? 'node2' : 'file');
  });

  it.each([
    ['JSON form', '{"level":"warning","msg":"agent: session failed","time":"2026-11-22T01:47:17.2+01:00"}', 'warning', '2026-11-22T00:47:17.200Z'],
    ['terminal, seconds since start', `INFO[0070] ${PADDED}`, 'info', undefined],
    ['terminal, full time', `WARN[2024-01-20T09:13:02.545Z] ${PADDED}`, 'warning', '2024-01-20T09:13:02.545Z'],
    ['terminal, zone offset', `ERRO[2024-01-20T10:13:02.545+01:00] ${PADDED}`, 'error', '2024-01-20T09:13:02.545Z'],
    ['key=value, debug, any offset', 'time="2024-01-20T09:13:02.545-05:00" level=debug msg="agent: session failed"', 'debug', '2024-01-20T14:13:02.545Z'],
  ])('%s', (_, message, level, iso) => {
    const e = daemon(readTextLine(`Jan 20 09:13:02 node1 dockerd[7]: ${message}`, ctx()).item);
    expect(e).toMatchObject({ level, msg: 'agent: session failed' });
    if (iso) expect(new Date(e.time).toISOString()).toBe(iso);
    else expect(new Date(e.time).toISOString()).toBe('2026-01-20T09:13:02.000Z'); // the prefix's, with --year
  });

  it('a line cut mid-value keeps what it has', () => {
    const e = daemon(readTextLine('Nov 22 01:47:17 node2 dockerd[1002]: time="2026-11-22T01:47:17.2Z" level=error msg="heartbeat to manager { 10.0.0.1:2377} failed" error="rpc error: code = Deadl', ctx()).item);
    expect(e).toMatchObject({ msg: 'heartbeat to manager { 10.0.0.1:2377} failed', fields: { error: 'rpc error: code = Deadl' } });
  });

  it('the lab identifier dockerd-<node> names the node; NODE= wins over everything', () => {
    expect(daemon(readTextLine(`Nov 22 01:47:17 vm dockerd-node3[5]: ${LOGRUS}`, ctx()).item).node).toBe('node3');
    expect(daemon(readTextLine(`Nov 22 01:47:17 vm dockerd[5]: ${LOGRUS}`, ctx({ node: 'mine' })).item).node).toBe('mine');
  });

  it("systemd's lines about the Docker unit are evidence; other units and programs are other, not unreadable", () => {
    const unit = readTextLine('Nov 22 01:47:17 node2 systemd[1]: docker.service: Main process exited, code=killed, status=9/KILL', ctx()).item;
    expect(unit).toMatchObject({ kind: 'unit', entry: { node: 'node2', msg: 'docker.service: Main process exited, code=killed, status=9/KILL', fields: { UNIT: 'docker.service' } } });
    expect(readTextLine('Nov 22 01:47:17 node2 systemd[1]: Stopping docker.service - Docker Application Container Engine...', ctx()).item.kind).toBe('unit');
    expect(readTextLine('Stopped Docker Application Container Engine.', ctx()).item.kind).toBe('unit');
    expect(readTextLine('Nov 22 01:47:17 node2 systemd[1]: Started cron.service - Regular background program.', ctx()).item.kind).toBe('other');
    expect(readTextLine('Nov 22 01:47:17 node2 containerd[800]: time="2026-11-22T01:47:17Z" level=info msg="x"', ctx()).item.kind).toBe('other');
    expect(readTextLine('Nov 22 01:47:17 node2 CRON[12]: (root) CMD (x)', ctx()).item.kind).toBe('other');
  });

  it('boots: journalctl separators and the kernel first line; other separators are other', () => {
    const c = ctx({ lastNode: 'node2', lastTime: 1000 });
    expect(readTextLine('-- Reboot --', c).item).toEqual({ kind: 'boot', node: 'node2', time: 1000, bootId: undefined });
    expect(readTextLine('-- Boot 0123456789abcdef0123456789abcdef --', c).item).toMatchObject({ kind: 'boot', bootId: '0123456789abcdef0123456789abcdef' });
    expect(readTextLine('Nov 22 01:50:00 node2 kernel: [    0.000000] Linux version 6.1.0-18-amd64 (debian-kernel@lists.debian.org)', c).item).toMatchObject({ kind: 'boot', node: 'node2' });
    expect(readTextLine('-- No entries --', c).item.kind).toBe('other');
    expect(readTextLine('-- Journal begins at Sun 2026-11-22 00:00:00 UTC, ends at Sun 2026-11-22 02:00:00 UTC. --', c).item.kind).toBe('other');
  });

  it('a container tag (the short id) with an application code is a container line', () => {
    expect(readTextLine('Nov 22 01:47:17 node2 4f1c2a9b8d7e[1002]: API-REDIS-001 reconnected', ctx()).item).toMatchObject({ kind: 'container', service: '4f1c2a9b8d7e', message: 'API-REDIS-001 reconnected' });
  });

  it('--tz with an IANA name reads daylight saving', () => {
    const berlin = zoneFor('Europe/Berlin')!;
    expect(new Date(daemon(readTextLine('Jul 01 12:00:00 n dockerd[1]: level=info msg=x', ctx({ zone: berlin })).item).time).toISOString()).toBe('2026-07-01T10:00:00.000Z');
    expect(new Date(daemon(readTextLine('Jan 01 12:00:00 n dockerd[1]: level=info msg=x', ctx({ zone: berlin })).item).time).toISOString()).toBe('2026-01-01T11:00:00.000Z');
    expect(zoneFor('Nowhere/Else')).toBeUndefined();
  });
});

describe('LineReader', () => {
  it('reads a json-pretty record and an export record among text lines, and counts', () => {
    const r = new LineReader('x', { fallbackNode: 'f', year: 2026, zone: UTC_ZONE });
    const lines = [
      '{', '\t"MESSAGE" : "time=\\"2026-11-22T01:47:17Z\\" level=info msg=\\"Starting up\\"",', '\t"_HOSTNAME" : "node4",', '\t"__REALTIME_TIMESTAMP" : "1795311437000000"', '}',
      '__CURSOR=s=1', '__REALTIME_TIMESTAMP=1795311438000000', '_HOSTNAME=node5', 'MESSAGE=level=info msg="Daemon shutdown complete"', '',
      'not a log line',
    ];
    const items = [...lines.flatMap((l) => r.push(l)), ...r.end()];
    expect(items.map((i) => i.kind)).toEqual(['daemon', 'daemon', 'unreadable']);
    expect(items.slice(0, 2).map((i) => daemon(i).node)).toEqual(['node4', 'node5']);
    expect(r.stats).toMatchObject({ lines: 10, daemon: 2, unreadable: 1, unreadableSamples: ['not a log line'], formats: { 'json-pretty': 1, export: 1, plain: 1 }, nodes: ['node4', 'node5'] });
  });
});
