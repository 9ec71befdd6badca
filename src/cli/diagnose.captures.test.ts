// The lab's real captures (test/fixtures/captures/README.md): each gives exactly the verdict an
// operator would give.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from './main.js';

const dir = new URL('../../test/fixtures/captures/', import.meta.url).pathname;

async function diagnose(capture: string): Promise<Array<{ kind: string; nodes: string[]; daemonNodes?: string[] }>> {
  const inputs = readdirSync(join(dir, capture)).sort().flatMap((f) => ['--input', `${f.split('.')[0]}=${join(dir, capture, f)}`]);
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true));
  const code = await main(['node', 'watchdog', 'diagnose', ...inputs, '--json']);
  vi.restoreAllMocks();
  expect(code).toBe(0);
  return JSON.parse(out).incidents;
}

afterEach(() => vi.restoreAllMocks());

describe('diagnose on the lab captures', () => {
  it('a worker daemon restart is one daemon-restart of that node', async () => {
    const found = await diagnose('restart');
    expect(found.map((i) => [i.kind, i.nodes])).toEqual([['daemon-restart', ['node2']]]);
  });

  it("the manager's daemon restart is one daemon-restart of the manager, not partitions of its workers", async () => {
    const found = await diagnose('mgrrestart');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ kind: 'daemon-restart', daemonNodes: ['node1'] });
  });

  it('four short losses that never became Down are one flapping incident', async () => {
    expect((await diagnose('flap')).map((i) => [i.kind, i.nodes])).toEqual([['flapping', ['node3']]]);
  });

  it("cutting the leader is one leader-election, and the lab's own start is no incident", async () => {
    const found = await diagnose('leader');
    expect(found.map((i) => i.kind)).toEqual(['leader-election']);
  });
});
