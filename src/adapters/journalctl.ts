import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Logger } from '../log/logger.js';
import { cursorTimeMs, followArgs } from '../sources/journal-args.js';
import { readJournalLine } from '../sources/journal-line.js';
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
  private onRecord?: (record: JournalRecord) => void;
  /** The running journalctl is being replaced (new options): its end is no failure. */
  private replacing = false;
  lastRealtimeMs: number | undefined;

  constructor(
    private opts: JournalOptions,
    private readonly log: Logger,
    private readonly clock: Clock,
  ) {}

  get running(): boolean {
    return !!this.child && this.child.exitCode === null;
  }

  start(afterCursor: string | undefined, onRecord: (record: JournalRecord) => void): void {
    this.cursor = afterCursor;
    this.stopped = false;
    this.onRecord = onRecord;
    this.spawn(onRecord);
  }

  /**
   * A config reload: new matches, directory or command restart journalctl at once, after the last
   * record read, so nothing is lost or read twice. Other options apply from the next restart.
   */
  reconfigure(opts: JournalOptions): void {
    const changed = opts.command !== this.opts.command || opts.directory !== this.opts.directory || JSON.stringify(opts.matches) !== JSON.stringify(this.opts.matches);
    this.opts = opts;
    if (!changed || this.stopped || !this.onRecord) return;
    this.log.log('WDG-JOURNAL-009', 'journal options changed: restarting journalctl after the last entry read', { matches: opts.matches, directory: opts.directory, command: opts.command });
    if (this.running) {
      this.replacing = true;
      this.child!.kill('SIGTERM'); // its close handler starts the new one
    } else {
      this.restartTimer?.cancel(); // it was waiting out a backoff: the new options may be the fix
      this.spawn(this.onRecord);
    }
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
        record = readJournalLine(line); // only the fields the pipeline reads
      } catch {
        if (this.replacing) return; // the last line, cut short by our SIGTERM: the next journalctl reads it again
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
      if (this.replacing) {
        this.replacing = false;
        this.backoffMs = 500;
        return this.spawn(onRecord);
      }
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
