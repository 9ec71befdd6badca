// Bad input to `watchdog diagnose` ends with exit 2 (usage) or 65 (bad data) and one line naming
// the file and line, never a stack trace.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../test/support/cli.js';

const run = async (args: string[]) => {
  const { code, err } = await runCli(['diagnose', ...args]);
  return { code, err };
};
afterEach(() => vi.restoreAllMocks());

const dir = mkdtempSync(join(tmpdir(), 'wdg-bad-input-'));
const write = (name: string, content: string) => {
  writeFileSync(join(dir, name), content);
  return join(dir, name);
};
const daemonLog = write('node1.log', 'time="2026-11-22T01:44:33Z" level=info msg="ok"\n');
const event = (attrs: Record<string, unknown> = {}) => JSON.stringify({ Type: 'node', Action: 'update', Actor: { ID: 'n1', Attributes: { name: 'node1' } }, time: 1795000000, ...attrs });

describe('watchdog diagnose with bad input', () => {
  it('--input a directory: exit 2', async () => {
    const r = await run(['--input', dir]);
    expect(r).toEqual({ code: 2, err: `--input ${dir}: is a directory (give the path of a log file inside it)\n` });
  });

  it('an events file with a null line or "timeNano":"abc": exit 65 naming file and line', async () => {
    const nul = write('null.events', `${event()}\nnull\n`);
    expect(await run(['--input', daemonLog, '--events', nul])).toEqual({ code: 65, err: expect.stringMatching(new RegExp(`^--events ${nul} line 2: not a Docker event \\(the line: .*\\n$`)) });
    const nano = write('nano.events', `${event({ timeNano: 'abc' })}\n`);
    expect(await run(['--input', daemonLog, '--events', nano])).toEqual({ code: 65, err: expect.stringMatching(new RegExp(`^--events ${nano} line 1: not a Docker event \\(timeNano: `)) });
  });

  // Unreadable lines are counted, never a crash; an input with no daemon line at all is exit 65 (WDG-INPUT-001).
  it('a deeply nested MESSAGE array: counted unreadable, exit 65 naming the file', async () => {
    const depth = 100_000;
    const deep = write('deep.json', `{"__CURSOR":"c1","MESSAGE":"ok"}\n{"__CURSOR":"c2","MESSAGE":${'['.repeat(depth)}${']'.repeat(depth)}}\n`);
    const r = await run(['--input', deep]);
    expect(r.code).toBe(65);
    expect(r.err).toMatch(new RegExp(`^--input ${deep}: has 2 line\\(s\\) but not one of the Docker daemon's .* 2 unreadable\\).*\\[WDG-INPUT-001\\]\\n$`, 's'));
  });

  it('a single line longer than the cap (17 MiB here; 700 MB in the report): counted unreadable, exit 65 naming the file', async () => {
    const long = write('long.log', `${'x'.repeat(17 * 1024 * 1024)}\n`);
    const r = await run(['--input', long]);
    expect(r.code).toBe(65);
    expect(r.err).toMatch(new RegExp(`^--input ${long}: has 1 line\\(s\\) but not one of the Docker daemon's .* 1 unreadable\\)`));
    expect(r.err.length).toBeLessThan(2000); // the line is quoted cut, not whole
  });
});
