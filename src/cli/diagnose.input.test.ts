// What diagnose says about its inputs: never a silent all-clear.
import { mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../test/support/cli.js';

const run = runCli;

const tmp = () => mkdtempSync(join(tmpdir(), 'wdg-input-'));
const rendered = new URL('../../test/fixtures/rendered/', import.meta.url).pathname;
const stdin = Object.getOwnPropertyDescriptor(process, 'stdin')!;

afterEach(() => {
  vi.restoreAllMocks();
  Object.defineProperty(process, 'stdin', stdin);
});

describe('diagnose never gives a silent all-clear', () => {
  it("the issue's own journalctl -u docker text gives the partition (it used to say No incident)", async () => {
    const dir = tmp();
    const line = (t: string, rest: string) => `Nov 22 01:47:${t} node2 dockerd[1002]: time="2026-11-22T01:47:${t}.2Z" ${rest}`;
    const hb = 'level=error msg="heartbeat to manager {6kqq 10.0.0.1:2377} failed" error="rpc error: code = DeadlineExceeded desc = context deadline exceeded" module=node/agent';
    const sf = 'level=error msg="agent: session failed" backoff=100ms error="rpc error: code = DeadlineExceeded desc = context deadline exceeded" module=node/agent';
    writeFileSync(join(dir, 'node2.txt'), [line('17', hb), line('18', sf), line('25', hb), line('26', sf), line('33', sf)].join('\n') + '\n');
    const { code, out } = await run(['diagnose', '--input', join(dir, 'node2.txt'), '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(out).incidents.map((i: { kind: string; nodes: string[] }) => [i.kind, i.nodes])).toEqual([['partition', ['node2']]]);
  });

  it("reads an export of only the applications' container lines beside daemon logs, but not alone", async () => {
    const dir = tmp();
    const daemon = join(dir, 'node2.log');
    writeFileSync(daemon, 'time="2026-11-22T01:47:17.2Z" level=info msg="manager selected by agent for new session: {6kqq 10.0.0.1:2377}" module=node/agent\n');
    const apps = join(dir, 'api.json');
    const rec = (t: string) => JSON.stringify({ __REALTIME_TIMESTAMP: t, CONTAINER_ID: 'c1', CONTAINER_NAME: 'api.1.x', CONTAINER_TAG: 'api', MESSAGE: '{"code":"API-REDIS-001","msg":"reconnected"}', _HOSTNAME: 'node2' });
    writeFileSync(apps, [rec('1763776037200000'), rec('1763776038200000')].join('\n') + '\n');
    expect((await run(['diagnose', '--input', daemon, '--input', apps, '--json'])).code).toBe(0);
    const alone = await run(['diagnose', '--input', apps]);
    expect(alone.code).toBe(65);
    expect(alone.err).toContain('WDG-INPUT-001');
  });

  it('exits 65 naming the file, its first unreadable line and the known forms when no line is the daemon\'s', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'node1.log'), 'hello world\nNov 22 01:47:17 node1 cron[12]: (root) CMD (run-parts)\n');
    const r = await run(['diagnose', '--input', join(dir, 'node1.log')]);
    expect(r.code).toBe(65);
    expect(r.err).toContain(`--input ${join(dir, 'node1.log')}: has 2 line(s) but not one of the Docker daemon's`);
    expect(r.err).toContain('first unreadable line: "hello world"');
    expect(r.err).toMatch(/Known forms: journalctl -o short.*RFC 5424.*\[WDG-INPUT-001\]/s);
    writeFileSync(join(dir, 'empty.log'), '');
    expect((await run(['diagnose', '--input', join(dir, 'empty.log')])).code).toBe(65);
  });

  it('"No incident" says how many daemon lines of which node over what span; the report counts every kind', async () => {
    const dir = tmp();
    writeFileSync(
      join(dir, 'quiet.log'),
      [
        'Nov 22 01:00:00 node1 dockerd[9]: time="2026-11-22T01:00:00Z" level=info msg="API listen on /run/docker.sock"',
        'Nov 22 01:00:30 node1 dockerd[9]: time="2026-11-22T01:00:30Z" level=debug msg="[DEBUG] memberlist: Stream connection from=10.0.0.2:7946"',
        'Nov 22 01:00:31 node1 containerd[8]: something of containerd',
        'Nov 22 01:00:32 node1 dockerd[9]: garbage that is not logrus',
      ].join('\n'),
    );
    const { code, out } = await run(['diagnose', '--input', join(dir, 'quiet.log')]);
    expect(code).toBe(0);
    expect(out).toContain('quiet.log: 4 lines (short 4); nodes node1: 2 daemon, 0 systemd unit, 0 boot, 0 container, 1 other programs\', 1 unreadable');
    expect(out).toContain('unreadable: Nov 22 01:00:32 node1 dockerd[9]: garbage');
    expect(out).toContain('No incident: 2 daemon lines of node1 from 2026-11-22T01:00:00Z to 2026-11-22T01:00:30Z (30 s); nothing in them needs attention.');
  });

  it('times without a year or zone take --year/--tz, else the file\'s modification year and UTC, and say so', async () => {
    const dir = tmp();
    const file = join(dir, 'node1.log');
    writeFileSync(file, 'Nov 22 01:00:00 node1 dockerd[9]: level=info msg="Processing signal \'terminated\'"\nNov 22 01:00:01 node1 dockerd[9]: level=info msg="Daemon shutdown complete"\n');
    utimesSync(file, new Date('2025-06-01T00:00:00Z'), new Date('2025-06-01T00:00:00Z'));
    const byFile = JSON.parse((await run(['diagnose', '--input', file, '--json'])).out);
    expect(byFile.inputs[0]).toMatchObject({ year: 2025, zone: 'UTC', timeFrom: { assumed: 2 } });
    expect(byFile.incidents[0].start).toBe('2025-11-22T01:00:00.000Z');
    const given = JSON.parse((await run(['diagnose', '--input', file, '--year', '2024', '--tz', 'Europe/Berlin', '--json'])).out);
    expect(given.incidents[0].start).toBe('2024-11-22T00:00:00.000Z');
    const human = (await run(['diagnose', '--input', file])).out;
    expect(human).toContain('2 without a year or zone, read as year 2025 and zone UTC (--year, --tz)');
    expect((await run(['diagnose', '--input', file, '--tz', 'Mars/Olympus'])).code).toBe(2);
  });

  it('reads standard input: --input - and --input node2=-', async () => {
    const text = readFileSync(join(rendered, 'restart', 'node2.short.txt'));
    Object.defineProperty(process, 'stdin', { value: Readable.from([text]), configurable: true });
    const v = JSON.parse((await run(['diagnose', '--input', 'nodeX=-', '--json'])).out);
    expect(v.incidents.map((i: { kind: string; nodes: string[] }) => [i.kind, i.nodes])).toEqual([['daemon-restart', ['nodeX']]]);
    expect(v.inputs[0].input).toBe('-');
  });
});
