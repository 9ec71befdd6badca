// Debian's real Prometheus for an e2e: scrapes the lab's agents every second with the repo's alerting
// rules loaded, and answers instant queries. Its own directory, its own port, stopped by the test.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { waitFor } from '../lab/lab.js';

export const RULES = new URL('../../deploy/prometheus/rules.yml', import.meta.url).pathname;

export interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export class Prometheus {
  private proc?: ChildProcess;
  private readonly output: string[] = [];
  private constructor(readonly url: string) {}

  /** `jobs` are scrape_configs entries; the rules file is the one in deploy/prometheus. */
  static async start(dir: string, jobs: Record<string, unknown>[]): Promise<Prometheus> {
    const port = await freePort();
    const config = join(dir, 'prometheus.yml');
    writeFileSync(config, stringify({ global: { scrape_interval: '1s', evaluation_interval: '1s', scrape_timeout: '900ms' }, rule_files: [RULES], scrape_configs: jobs }));
    const p = new Prometheus(`http://127.0.0.1:${port}`);
    p.proc = spawn('prometheus', [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'tsdb')}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    for (const s of [p.proc.stdout!, p.proc.stderr!]) s.on('data', (d: Buffer) => p.output.push(d.toString('utf8')));
    await waitFor('prometheus ready', async () => (await fetch(`${p.url}/-/ready`).catch(() => undefined))?.ok, 30_000, 200);
    return p;
  }

  async query(expr: string): Promise<Sample[]> {
    const res = await fetch(`${this.url}/api/v1/query?query=${encodeURIComponent(expr)}`, { signal: AbortSignal.timeout(5000) });
    const body = (await res.json()) as { status: string; data?: { result: Sample[] }; error?: string };
    if (body.status !== 'success') throw new Error(`prometheus query ${expr}: ${body.error}`);
    return body.data!.result;
  }

  async targets(): Promise<{ activeTargets: { labels: Record<string, string>; health: string; discoveredLabels: Record<string, string> }[] }> {
    const res = await fetch(`${this.url}/api/v1/targets`);
    return ((await res.json()) as { data: never }).data;
  }

  log(): string {
    return this.output.join('');
  }

  async stop(): Promise<void> {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill('SIGTERM');
    await exited;
  }
}
