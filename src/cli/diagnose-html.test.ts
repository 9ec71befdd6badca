import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../test/support/cli.js';

const capture = new URL('../../test/fixtures/captures/A-worker3-partition/', import.meta.url).pathname;
const inputs = readdirSync(capture).filter((f) => f.endsWith('.log')).sort().flatMap((f) => ['--input', `${f.split('.')[0]}=${join(capture, f)}`]);

const run = (args: string[]) => runCli(['diagnose', ...args]);

afterEach(() => vi.restoreAllMocks());

describe('diagnose --html', () => {
  it('writes the partition of capture A as one self-contained page: node3 lane, session lost, evidence lines', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'wdg-html-')), 'report.html');
    expect((await run([...inputs, '--html', file])).code).toBe(0);
    const html = readFileSync(file, 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toMatch(/<text class="lane"[^>]*>node3<\/text>/);
    expect(html).toContain('node3 without a manager session (DeadlineExceeded)');
    expect(html).toMatch(/data-detail="01:44:28 +node3 +heartbeat-failed: heartbeat to manager/);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//); // nothing to fetch: it opens from a file, offline
    expect(html).toContain('data-refresh="0"'); // a file does not refresh itself
  });

  it('a report that cannot be written is a usage error naming the file', async () => {
    const { code, err } = await run([...inputs, '--html', '/nonexistent-dir/report.html']);
    expect(code).toBe(2);
    expect(err).toContain('--html /nonexistent-dir/report.html: cannot write the report');
  });
});
