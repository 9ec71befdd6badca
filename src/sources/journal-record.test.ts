import { describe, expect, it } from 'vitest';
import { cursorTimeMs, followArgs } from '../adapters/journal-args.js';
import { fieldText, recordNode, recordToEntry } from './journal-record.js';

const line = 'time="2026-11-22T01:44:28.228708411Z" level=error msg="heartbeat to manager { 10.213.0.11:2377} failed" error="rpc error: code = DeadlineExceeded desc = context deadline exceeded" node.id=6kqq';

describe('journal records', () => {
  it('decodes MESSAGE given as bytes (non-UTF-8 text) and repeated fields', () => {
    const bytes = [...Buffer.from('héllo '), 0xff, ...Buffer.from(' world')];
    expect(fieldText(bytes)).toBe('héllo \uFFFD world');
    expect(fieldText(['a', [98]])).toBe('a\nb');
    expect(fieldText(null)).toBeUndefined();
  });

  it('turns a daemon record into an entry with the logrus time, level and fields', () => {
    const e = recordToEntry({ MESSAGE: line, __CURSOR: 's=1;i=2', __REALTIME_TIMESTAMP: '1795311868000000', _BOOT_ID: 'b1' }, 'node3');
    expect(e).toMatchObject({ node: 'node3', level: 'error', msg: 'heartbeat to manager { 10.213.0.11:2377} failed', cursor: 's=1;i=2', bootId: 'b1' });
    expect(e.fields['node.id']).toBe('6kqq');
    expect(new Date(e.time).toISOString()).toBe('2026-11-22T01:44:28.228Z');
  });

  it('keeps odd records: no MESSAGE, plain text, a very long line', () => {
    expect(recordToEntry({ __REALTIME_TIMESTAMP: '1000000' }, 'n')).toMatchObject({ msg: '', time: 1000, raw: true });
    expect(recordToEntry({ MESSAGE: 'plain text', __REALTIME_TIMESTAMP: '2000000' }, 'n')).toMatchObject({ msg: 'plain text', time: 2000, raw: true });
    const long = recordToEntry({ MESSAGE: `time="2026-11-22T01:44:28Z" level=info msg="${'x'.repeat(200_000)}"` }, 'n');
    expect(long.msg.length).toBeLessThanOrEqual(64 * 1024);
  });

  it('names the node from SYSLOG_IDENTIFIER dockerd-<node>, else the fallback, else _HOSTNAME', () => {
    expect(recordNode({ SYSLOG_IDENTIFIER: 'dockerd-lab1-node3', _HOSTNAME: 'host' })).toBe('lab1-node3');
    expect(recordNode({ SYSLOG_IDENTIFIER: 'dockerd', _HOSTNAME: 'host' }, 'node9')).toBe('node9');
    expect(recordNode({ _HOSTNAME: 'host' })).toBe('host');
  });
});

describe('journalctl arguments', () => {
  it('resumes after a cursor with --no-tail, starts from now or a lookback otherwise', () => {
    expect(followArgs(['A=1'], undefined, { atCursor: 'c1', now: 0 })).toEqual(['--output=json', '--all', '--follow', '--no-pager', '--utc', '--cursor=c1', '--no-tail', 'A=1']);
    expect(followArgs(['A=1'], undefined, { sinceMs: 61_500, now: 120_000 })).toEqual(expect.arrayContaining(['--since=@61', '--no-tail']));
    expect(followArgs(['A=1'], '/j', { now: 0 })).toContain('--lines=0');
    expect(followArgs(['A=1'], '/j', { now: 0 })).toContain('--directory=/j');
    expect(followArgs([], undefined, { lookbackMs: 60_000, now: 120_000 })).toEqual(expect.arrayContaining(['--since=@60', '--no-tail']));
  });

  it('reads the time out of a cursor (to resume by time when its file was vacuumed)', () => {
    expect(cursorTimeMs('s=abc;i=1f;b=def;m=1;t=5f4a2b1c3d000;x=9')).toBe(Math.floor(0x5f4a2b1c3d000 / 1000));
    expect(cursorTimeMs('garbage')).toBeUndefined();
  });
});

describe('recordItem: journald fields first, then the message own format (the agent and exports)', () => {
  it('a dockerd record in --log-format json, or through syslog into journald, is a daemon line', async () => {
    const { recordItem } = await import('./journal-record.js');
    const json = recordItem({ MESSAGE: '{"level":"error","msg":"agent: session failed","time":"2026-11-22T01:44:28Z"}', SYSLOG_IDENTIFIER: 'dockerd', _TRANSPORT: 'syslog' }, 'n');
    expect(json).toMatchObject({ kind: 'daemon', entry: { level: 'error', msg: 'agent: session failed' } });
    expect(recordItem({ MESSAGE: line, _SYSTEMD_UNIT: 'docker.service', _COMM: 'dockerd' }, 'n').kind).toBe('daemon');
  });

  it("systemd's record about docker.service is a unit line; about another unit, or another program's text, other", async () => {
    const { recordItem } = await import('./journal-record.js');
    expect(recordItem({ MESSAGE: 'docker.service: Main process exited, code=killed, status=9/KILL', SYSLOG_IDENTIFIER: 'systemd', UNIT: 'docker.service', _PID: '1' }, 'n')).toMatchObject({ kind: 'unit', entry: { fields: { UNIT: 'docker.service' } } });
    expect(recordItem({ MESSAGE: 'Started Session 3 of User root.', SYSLOG_IDENTIFIER: 'systemd', UNIT: 'session-3.scope' }, 'n').kind).toBe('other');
    expect(recordItem({ MESSAGE: '(root) CMD (run-parts)', SYSLOG_IDENTIFIER: 'CRON' }, 'n').kind).toBe('other');
    expect(recordItem({ MESSAGE: 'Linux version 6.1.0-18-amd64', _TRANSPORT: 'kernel', _BOOT_ID: 'b2' }, 'n')).toEqual({ kind: 'boot', node: 'n', time: 0, bootId: 'b2' });
  });
});
