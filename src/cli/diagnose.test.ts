import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { captureDir } from '../../test/fixtures/shared.js';
import { runCli } from '../../test/support/cli.js';

const run = runCli;

afterEach(() => vi.restoreAllMocks());

const capture = captureDir('A-worker3-partition');

describe('watchdog diagnose', () => {
  it('finds the one partition of node3 in the real capture, and none for node1/node2', async () => {
    const input = (n: string) => ['--input', `${n}=${join(capture!, `${n}.dockerd.log`)}`];
    const { code, out } = await run(['diagnose', ...input('node1'), ...input('node2'), ...input('node3'), '--json']);
    expect(code).toBe(0);
    const { incidents } = JSON.parse(out);
    expect(incidents).toHaveLength(1);
    const [p] = incidents;
    expect(p).toMatchObject({ kind: 'partition', nodes: ['node3'] });
    expect(Math.abs(Date.parse(p.start) - Date.parse('2026-11-22T01:44:28Z'))).toBeLessThan(2000);
    expect(Math.abs(Date.parse(p.end) - Date.parse('2026-11-22T01:45:01Z'))).toBeLessThan(3000);
    expect(p.evidence.some((e: { rule: string; node: string }) => e.rule === 'heartbeat-failed' && e.node === 'node3')).toBe(true);
  });

  it('reads the same log as a journal export and as text, and prints a timeline', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wdg-diag-'));
    const text = readFileSync(join(capture!, 'node3.dockerd.log'), 'utf8').split('\n').filter(Boolean);
    const journal = text.map((MESSAGE, i) => JSON.stringify({ MESSAGE, SYSLOG_IDENTIFIER: 'dockerd-node3', __CURSOR: `c${i}`, __REALTIME_TIMESTAMP: '1795311868000000', _BOOT_ID: 'boot1' }));
    writeFileSync(join(dir, 'node3.json'), `${journal.join('\n')}\n`);
    const fromJournal = await run(['diagnose', '--input', join(dir, 'node3.json'), '--json']);
    expect(JSON.parse(fromJournal.out).incidents.map((i: { kind: string; nodes: string[] }) => [i.kind, i.nodes])).toEqual([['partition', ['node3']]]);
    const human = await run(['diagnose', '--input', join(dir, 'node3.json')]);
    expect(human.out).toMatch(/^node3:$/m);
    expect(human.out).toMatch(/heartbeat-failed \(DeadlineExceeded\)/);
    expect(human.out).toMatch(/1 incident\(s\):\n- \[partition\]/);
  });

  it('prints an empty list when nothing happened, and survives garbage lines', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wdg-diag-'));
    writeFileSync(join(dir, 'quiet.log'), 'time="2026-11-22T01:00:00Z" level=info msg="API listen on /run/docker.sock"\nnot a log line at all\n\u0000\u0001binary\n');
    const { code, out } = await run(['diagnose', '--input', `node1=${join(dir, 'quiet.log')}`, '--json']);
    expect(code).toBe(0);
    const result = JSON.parse(out);
    expect(result.incidents).toEqual([]);
    expect(result.inputs[0]).toMatchObject({ lines: 3, daemon: 1, unreadable: 2, nodes: ['node1'] });
  });

  it('exits 2 with a clear message for a missing file or no --input', async () => {
    const missing = await run(['diagnose', '--input', '/nonexistent/node1.log']);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/--input \/nonexistent\/node1.log: cannot read the file/);
    expect((await run(['diagnose'])).code).toBe(2);
  });
});

describe('watchdog diagnose with a manager events file', () => {
  it("joins the manager's Down/Ready events to the partition of node3", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wdg-diag-'));
    const ev = (t: string, from: string, to: string) =>
      JSON.stringify({ Type: 'node', Action: 'update', Actor: { ID: '6kqqdrhr35xpr6nlxe6cnm6rv', Attributes: { name: 'node3', 'state.old': from, 'state.new': to } }, time: Date.parse(t) / 1000, timeNano: Date.parse(t) * 1e6 });
    writeFileSync(join(dir, 'events.json'), [ev('2026-11-22T01:44:33Z', 'ready', 'down'), '{torn', ev('2026-11-22T01:45:02Z', 'down', 'ready')].join('\n'));
    const inputs = ['node1', 'node2', 'node3'].flatMap((n) => ['--input', `${n}=${join(capture!, `${n}.dockerd.log`)}`]);
    const { code, out } = await run(['diagnose', ...inputs, '--events', join(dir, 'events.json'), '--json']);
    expect(code).toBe(0);
    const { incidents } = JSON.parse(out);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ kind: 'partition', nodes: ['node3'], markedDownAt: '2026-11-22T01:44:33.000Z' });
    expect(incidents[0].summary).toMatch(/was marked Down at 01:44:33/);
  });
});
