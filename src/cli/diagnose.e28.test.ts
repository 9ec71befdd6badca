// Real captures from the Docker 28.5.2 lab (test/fixtures/captures/README.md, e28-*): the verdict
// an operator would give, from every node's log and from the affected node's log alone.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { captureDir } from '../../test/fixtures/shared.js';
import { main } from './main.js';

interface Verdict {
  incidents: Array<{ kind: string; nodes: string[]; markedDownAt?: string; summary: string }>;
  inputs: Array<{ daemon: number; unreadable: number }>;
}

async function diagnose(capture: string, nodes = ['node1', 'node2', 'node3'], events = false): Promise<Verdict> {
  const dir = captureDir(capture);
  const args = nodes.flatMap((n) => ['--input', `${n}=${join(dir, `${n}.dockerd.log`)}`]);
  if (events && existsSync(join(dir, 'events.json'))) args.push('--events', join(dir, 'events.json'));
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true));
  const code = await main(['node', 'watchdog', 'diagnose', ...args, '--json']);
  vi.restoreAllMocks();
  expect(code).toBe(0);
  return JSON.parse(out);
}

const kinds = (v: Verdict) => v.incidents.map((i) => [i.kind, i.nodes]);

afterEach(() => vi.restoreAllMocks());

describe('diagnose on the Docker 28.5.2 lab captures', () => {
  it('quiet: no incident, every line read', async () => {
    const v = await diagnose('e28-quiet');
    expect(v.incidents).toEqual([]);
    expect(v.inputs.every((i) => i.daemon > 100 && i.unreadable === 0)).toBe(true);
  });

  it('worker partition: one partition of node3, from all logs, with the events, and from node3 alone', async () => {
    expect(kinds(await diagnose('e28-worker-partition'))).toEqual([['partition', ['node3']]]);
    const withEvents = await diagnose('e28-worker-partition', undefined, true);
    expect(kinds(withEvents)).toEqual([['partition', ['node3']]]);
    expect(withEvents.incidents[0].markedDownAt).toBeDefined();
    expect(kinds(await diagnose('e28-worker-partition', ['node3']))).toEqual([['partition', ['node3']]]);
  });

  it('short cut: one session loss of node3 that never reached Down', async () => {
    const v = await diagnose('e28-short-cut', undefined, true);
    expect(kinds(v)).toEqual([['partition', ['node3']]]);
    expect(v.incidents[0].markedDownAt).toBeUndefined();
  });

  it('daemon restart: one daemon-restart of node2, no partition, also from node2 alone', async () => {
    expect(kinds(await diagnose('e28-daemon-restart', undefined, true))).toEqual([['daemon-restart', ['node2']]]);
    expect(kinds(await diagnose('e28-daemon-restart', ['node2']))).toEqual([['daemon-restart', ['node2']]]);
  });

  it('leader partition: one leader-election', async () => {
    expect((await diagnose('e28-leader-partition', undefined, true)).incidents.map((i) => i.kind)).toEqual(['leader-election']);
  });
});
