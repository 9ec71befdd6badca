import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Logger } from '../log/logger.js';
import { cursorTimeMs, followArgs } from '../sources/journal-args.js';
import type { JournalRecord } from '../sources/journal-record.js';
import type { Clock } from './clock.js';

export interface JournalOptions {
  command: string;
  matches: string[];
  directory?: string;
  lookbackMs: number;
  backoffMaxMs: number;
}

/** What the pipeline needs from a journal: records in order, each handled before the next is read. */
export interface JournalSource {
  start(afterCursor: string | undefined, onRecord: (record: JournalRecord) => void): void;
  stop(): Promise<void>;
  /** The realtime of the newest record read, for lag. */
  readonly lastRealtimeMs: number | undefined;
  readonly running: boolean;
}

const STABLE_MS = 30_000; // a journalctl that ran this long resets the backoff

/** Follows the journal with the journalctl binary; restarts it with capped backoff, resuming after the last record. */
export class JournalctlSource implements JournalSource {
  private child?: ChildProcess;
  private stopped = false;
  private cursor?: string;
  private sinceMs?: number;
  private backoffMs = 500;
  private restartTimer?: { cancel(): void };
  lastRealtimeMs: number | undefined;

  constructor(
    private readonly opts: JournalOptions,
    private readonly log: Logger,
    private readonly clock: Clock,
  ) {}

  get running(): boolean {
    return !!this.child && this.child.exitCode === null;
  }

  start(afterCursor: string | undefined, onRecord: (record: JournalRecord) => void): void {
    this.cursor = afterCursor;
    this.stopped = false;
    this.spawn(onRecord);
  }

  private spawn(onRecord: (record: JournalRecord) => void): void {
    const args = followArgs(this.opts.matches, this.opts.directory, {
      afterCursor: this.sinceMs === undefined ? this.cursor : undefined,
      lookbackMs: this.sinceMs !== undefined ? this.clock.now() - this.sinceMs : this.opts.lookbackMs,
      now: this.clock.now(),
    });
    this.sinceMs = undefined;
    const startedAt = this.clock.now();
    const child = spawn(this.opts.command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.log.log('WDG-JOURNAL-001', 'following the journal', { command: this.opts.command, args });
    let lastStderr = '';

    const out = createInterface({ input: child.stdout!, crlfDelay: Infinity });
    out.on('error', () => child.kill()); // a broken pipe: the close handler restarts journalctl
    out.on('line', (line) => {
      if (!line) return;
      let record: JournalRecord;
      try {
        record = JSON.parse(line) as JournalRecord;
      } catch {
        this.log.log('WDG-JOURNAL-004', 'journalctl printed a line that is not JSON; skipped', { line: line.slice(0, 500) });
        return;
      }
      if (typeof record.__CURSOR === 'string') this.cursor = record.__CURSOR;
      const us = Number(record.__REALTIME_TIMESTAMP);
      if (Number.isFinite(us)) this.lastRealtimeMs = us / 1000;
      onRecord(record);
    });
    createInterface({ input: child.stderr!, crlfDelay: Infinity }).on('line', (line) => {
      lastStderr = line;
      this.log.log('WDG-JOURNAL-003', `journalctl: ${line}`, { stderr: line });
    });

    child.on('error', (err) => {
      this.log.log('WDG-JOURNAL-006', `journalctl could not run: ${err.message}`, { command: this.opts.command });
    });
    child.on('close', (exitCode, signal) => {
      if (this.child === child) this.child = undefined;
      if (this.stopped) return;
      if (this.clock.now() - startedAt > STABLE_MS) this.backoffMs = 500;
      if (/seek to cursor|cursor/i.test(lastStderr) && this.cursor) {
        // The cursor's journal file was rotated away: resume by time instead of failing forever.
        this.sinceMs = cursorTimeMs(this.cursor);
        this.log.log('WDG-JOURNAL-005', 'the saved cursor is no longer in the journal; resuming from its time', { since: this.sinceMs });
      }
      this.log.log('WDG-JOURNAL-002', `journalctl exited (code ${exitCode ?? '-'}, signal ${signal ?? '-'}); restarting in ${this.backoffMs} ms`, {
        exitCode,
        signal,
        backoffMs: this.backoffMs,
      });
      this.restartTimer = this.clock.setTimeout(() => this.spawn(onRecord), this.backoffMs);
      this.backoffMs = Math.min(this.backoffMs * 2, this.opts.backoffMaxMs);
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.restartTimer?.cancel();
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('close', () => resolve());
      child.kill('SIGTERM');
    });
  }
}
