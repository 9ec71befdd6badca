import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../config/load.js';
import { startHttp } from '../http/server.js';
import { silentLogger } from '../log/logger.js';
import { summaryRoute, type Summary } from '../operate/summary.js';
import { summaryFromExports } from './summary.js';
import { runCli } from '../../test/support/cli.js';

const fixture = new URL('../../test/fixtures/summary/node3.journal.json', import.meta.url).pathname;
const defaults = () => parseConfig('', '(defaults)', {});

const run = (...args: string[]) => runCli(args);

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

describe('summaryFromExports', () => {
  it('counts the container lines\' codes within --since of the newest entry, vs the span before', async () => {
    const s = await summaryFromExports([{ node: 'node3', file: fixture }], 86_400_000, defaults());
    expect(s.from).toBe('2026-03-01T08:00:00.000Z');
    expect(s.to).toBe('2026-03-02T08:00:00.000Z');
    expect(s.codes).toEqual([
      { code: 'API-REDIS-001', count: 3, change: 2 },
      { code: 'WDG-SLACK-002', count: 2, change: 'new' }, // the watchdog's own lines, read back from its container
      { code: 'WORKER-JOB-001', count: 2, change: 0 }, // a code in plain text; the one at the period's start belongs to the span before
      { code: 'API-PAY-002', count: 1, change: -1 },
      { code: 'WDG-DETECT-001', count: 1, change: 'new' },
    ]);
    expect(s.incidents).toHaveLength(1);
    expect(s.incidents[0]).toMatchObject({ kind: 'partition', nodes: ['node3'], start: '2026-03-02T06:00:00.100Z' });
    expect(s.incidents[0].summary).toContain('node3 lost its manager session at 06:00:00 (DeadlineExceeded)');
  });

  it('has no change column when the exports do not reach back before the period', async () => {
    const s = await summaryFromExports([{ file: fixture }], 48 * 3_600_000, defaults());
    expect(s.codes.every((r) => r.change === null)).toBe(true);
    expect(s.codes.find((r) => r.code === 'API-PAY-002')).toEqual({ code: 'API-PAY-002', count: 3, change: null });
  });
});

describe('watchdog summary', () => {
  it('--input --json prints {from, to, codes, incidents}', async () => {
    const { code, out } = await run('summary', '--input', `node3=${fixture}`, '--json', '--since', '1h');
    expect(code).toBe(0);
    const json = JSON.parse(out) as Summary;
    expect(Object.keys(json)).toEqual(['from', 'to', 'codes', 'incidents']);
    expect(json.from).toBe('2026-03-02T07:00:00.000Z');
    expect(json.codes.slice(0, 2)).toEqual([
      { code: 'API-PAY-002', count: 1, change: 'new' },
      { code: 'WORKER-JOB-001', count: 1, change: 'new' },
    ]);
    expect(json.incidents).toEqual([]);
  });

  it('--input prints the table', async () => {
    const { code, out } = await run('summary', '-i', fixture);
    expect(code).toBe(0);
    expect(out).toContain('Log codes 2026-03-01 08:00 → 2026-03-02 08:00 UTC');
    expect(out).toMatch(/API-REDIS-001 +3 +\+2\n/);
    expect(out).toContain('- [partition] node3 lost its manager session');
  });

  it('asks the live agent without --input', async () => {
    const sample: Summary = { from: '2026-03-01T08:00:00.000Z', to: '2026-03-01T09:00:00.000Z', codes: [{ code: 'WDG-SLACK-002', count: 4, change: null }], incidents: [] };
    const asked: number[] = [];
    const server = await startHttp({ listen: '127.0.0.1', port: 0, token: () => 'summary-token', routes: [summaryRoute((ms) => (asked.push(ms), sample))], log: silentLogger() });
    servers.push(server);
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const tokenFile = join(mkdtempSync(join(tmpdir(), 'wdg-summary-')), 'token');
    writeFileSync(tokenFile, 'summary-token\n');
    const json = await run('summary', '--agent', url, '--since', '2h', '--json', '--token-file', tokenFile);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out)).toEqual(sample);
    expect(asked).toEqual([7_200_000]);
    const text = await run('summary', '--agent', `${url}/`, '--token-file', tokenFile);
    expect(text.out).toContain('WDG-SLACK-002      4');
    // the token from the environment, as inside the stack's container
    process.env.WATCHDOG_PEER_TOKEN_FILE = tokenFile;
    try {
      expect((await run('summary', '--agent', url)).code).toBe(0);
    } finally {
      delete process.env.WATCHDOG_PEER_TOKEN_FILE;
    }
    const refused = await run('summary', '--agent', url);
    expect(refused.code).toBe(69);
    expect(refused.err).toContain('wants the peer token');
  });

  it('exits 69 when the agent cannot be reached and 2 on a bad --since', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const p = (probe.address() as { port: number }).port;
        probe.close(() => resolve(p));
      });
    });
    const down = await run('summary', '--agent', `http://127.0.0.1:${port}`);
    expect(down.code).toBe(69);
    expect(down.err).toContain('cannot reach the agent');
    expect((await run('summary', '--since', 'yesterday')).code).toBe(2);
    expect((await run('summary', '--input', '/nonexistent/export.json')).code).toBe(2);
  });
});
