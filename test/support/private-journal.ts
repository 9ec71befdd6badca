// A journald of our own (a journal namespace), so a test can rotate and vacuum a journal without
// touching the machine's, which other suites read. Entries go in through its syslog socket.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { run, waitFor } from '../lab/lab.js';

export class PrivateJournal {
  private proc?: ChildProcess;
  directory = '';

  constructor(readonly namespace: string) {}

  get socket(): string {
    return `/run/systemd/journal.${this.namespace}/dev-log`;
  }

  async start(): Promise<void> {
    this.remove();
    this.proc = spawn('/lib/systemd/systemd-journald', [this.namespace], { stdio: 'ignore' });
    const machine = readFileSync('/etc/machine-id', 'utf8').trim();
    const dirs = ['/var/log/journal', '/run/log/journal'].map((d) => join(d, `${machine}.${this.namespace}`));
    this.directory = await waitFor(`journald of namespace ${this.namespace}`, () => existsSync(this.socket) && dirs.find((d) => existsSync(d)), 10_000, 100);
  }

  /** One syslog line with this SYSLOG_IDENTIFIER. */
  log(identifier: string, message: string): Promise<string> {
    return run('logger', ['-u', this.socket, '-t', identifier, message]);
  }

  /** journalctl -o json entries of one identifier, in journal order. */
  async entries(identifier: string): Promise<Array<Record<string, string>>> {
    const out = await run('journalctl', [`--directory=${this.directory}`, '-o', 'json', '--no-pager', '-t', identifier]);
    return out.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Record<string, string>);
  }

  /** Archive the active file, then delete every archived file older than a second. */
  async rotateAndVacuum(): Promise<void> {
    await run('journalctl', [`--namespace=${this.namespace}`, '--rotate']);
    await new Promise((r) => setTimeout(r, 1500));
    await run('journalctl', [`--directory=${this.directory}`, '--vacuum-time=1s']); // this directory only
  }

  async stop(): Promise<void> {
    const proc = this.proc;
    if (proc && proc.exitCode === null) {
      await new Promise<void>((resolve) => {
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      });
    }
    this.remove();
  }

  private remove(): void {
    if (this.directory) rmSync(this.directory, { recursive: true, force: true });
    rmSync(`/run/systemd/journal.${this.namespace}`, { recursive: true, force: true });
  }
}
