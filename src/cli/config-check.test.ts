import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runCli } from '../../test/support/cli.js';

const run = (...args: string[]) => runCli(args);

describe('watchdog config check', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wdg-config-check-'));
  const write = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };

  it('refuses with exit 78 what the agent refuses: cron, time zone, code pattern, rules file, durations', async () => {
    const file = write('bad.yml', `summary: {schedule: "0 25 * * *", timezone: Nowhere/Land}\nappLogs: {codePattern: "("}\nreloadEvery: 0ms\n`);
    const { code, out, err } = await run('config', 'check', '--config', file);
    expect(code).toBe(78);
    expect(out).toBe('');
    expect(err).toMatch(/^config: 4 problem\(s\) \[WDG-CONFIG-002\]\n/);
    for (const field of ['summary.schedule', 'summary.timezone', 'appLogs.codePattern', 'reloadEvery']) expect(err).toContain(`  ${field}: `);
    const rules = await run('config', 'check', '--config', write('rules.yml', `rulesFile: ${dir}/missing.yml\n`));
    expect(rules.code).toBe(78);
    expect(rules.err).toContain(`  rulesFile: ${dir}/missing.yml: cannot read the file (ENOENT)`);
  });

  it('says OK to a valid file', async () => {
    const { code, out } = await run('config', 'check', '--config', write('good.yml', 'summary: {schedule: "30 7 * * 1-5", timezone: Europe/Berlin}\n'));
    expect(code).toBe(0);
    expect(out).toMatch(/^OK\n/);
  });

  it('exits quietly when its reader has gone (| head -1)', async () => {
    const bin = new URL('./bin.ts', import.meta.url).pathname;
    const child = spawn(process.execPath, ['--import', 'tsx', bin, 'config', 'check', '--config', write('ok.yml', '')], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy(); // the reader is gone before the first line
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(err).toBe('');
    expect(code).toBe(0);
  }, 30_000);
});
