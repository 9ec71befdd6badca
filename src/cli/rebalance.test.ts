import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../test/support/cli.js';

const run = runCli;

afterEach(() => vi.restoreAllMocks());

const SNAPSHOT = join(import.meta.dirname, '../../test/fixtures/snapshots/partition-healed.json');

describe('watchdog rebalance --dry-run --snapshot', () => {
  it('plans from a snapshot file', async () => {
    const { code, out } = await run(['rebalance', '--dry-run', '--snapshot', SNAPSHOT, '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(out).services.find((s: { service: string }) => s.service === 'web')).toMatchObject({ after: { node1: 2, node2: 2, node3: 2 } });
  });

  it('a snapshot with a field of another type is refused as bad input (exit 2), naming the field', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'wdg-snap-')), 'bad.json');
    writeFileSync(file, JSON.stringify({ nodes: [], services: [{ ID: 'a', Spec: { Mode: { Replicated: { Replicas: '6' } } } }], tasks: [] }));
    const { code, err } = await run(['rebalance', '--dry-run', '--snapshot', file]);
    expect(code).toBe(2);
    expect(err).toMatch(/bad\.json: services\[0\]\.Spec\.Mode\.Replicated\.Replicas/);
  });
});
