// Real journalctl output of the lab captures, in every `-o` mode (test/fixtures/rendered, made by
// scripts/fixtures/render-journal.ts through a real journald): each gives the capture's verdict.
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../test/support/cli.js';

const rendered = new URL('../../test/fixtures/rendered/', import.meta.url).pathname;
const MODES = ['short', 'short-precise', 'short-iso', 'short-iso-precise', 'short-full', 'short-unix', 'with-unit', 'cat', 'json', 'json-pretty', 'export'];

interface Out {
  code: number;
  out: string;
  err: string;
}

const run = runCli;

async function verdict(...inputs: string[]): Promise<{ incidents: Array<{ kind: string; nodes: string[] }>; inputs: Array<Record<string, unknown>> }> {
  const r = await run(['diagnose', ...inputs.flatMap((i) => ['--input', i]), '--json']);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.out);
}

afterEach(() => vi.restoreAllMocks());

describe('diagnose reads every journalctl output mode, line by line', () => {
  it.each(MODES)('-o %s of the worker partition: partition of node3 (node from the hostname)', async (mode) => {
    const v = await verdict(join(rendered, 'A-worker3-partition', `node3.${mode}.txt`));
    expect(v.incidents.map((i) => [i.kind, i.nodes])).toEqual([['partition', ['node3']]]);
    expect(v.inputs[0]).toMatchObject({ daemon: 227, unreadable: 0, nodes: ['node3'] });
  });

  it.each(MODES)('-o %s of the daemon restart with systemd lines: daemon-restart of node2', async (mode) => {
    const v = await verdict(join(rendered, 'restart', `node2.${mode}.txt`));
    expect(v.incidents.map((i) => [i.kind, i.nodes])).toEqual([['daemon-restart', ['node2']]]);
    expect(v.inputs[0]).toMatchObject({ daemon: 199, unit: 5, unreadable: 0 });
  });

  it('reads gzip (by content, whatever the name) and standard input', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wdg-fmt-'));
    writeFileSync(join(dir, 'node3.log.1'), gzipSync(readFileSync(join(rendered, 'A-worker3-partition', 'node3.short.txt'))));
    expect((await verdict(join(dir, 'node3.log.1'))).incidents.map((i) => i.kind)).toEqual(['partition']);
  });

  it('one file with several nodes (a syslog aggregator): each line is its hostname\'s', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wdg-fmt-'));
    const a = readFileSync(join(rendered, 'A-worker3-partition', 'node3.short-iso-precise.txt'), 'utf8').split('\n').filter(Boolean);
    const b = readFileSync(join(rendered, 'restart', 'node2.short-iso-precise.txt'), 'utf8').split('\n').filter(Boolean);
    const merged = [...a, ...b].sort((x, y) => x.slice(0, 31).localeCompare(y.slice(0, 31)));
    writeFileSync(join(dir, 'syslog'), `${merged.join('\n')}\n`);
    const v = await verdict(join(dir, 'syslog'));
    expect(v.incidents.map((i) => [i.kind, i.nodes]).sort()).toEqual([['daemon-restart', ['node2']], ['partition', ['node3']]]);
    expect(v.inputs[0].nodes).toEqual(expect.arrayContaining(['node2', 'node3']));
  });
});
