import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Logger } from '../log/logger.js';
import { cursorTimeMs, followArgs } from './journal-args.js';
import { readJournalLine } from '../sources/journal-line.js';
import type { Clock } from './clock.js';
import { realtimeUs, ResumeGate, type Gap, type ResumePoint } from './journal-resume.js';

export type { ResumePoint } from './journal-resume.js';

/** One entry as `journalctl -o json` prints it: field name → string, byte array or array of values. */
export type JournalRecord = Record<string, unknown>;

export interface JournalOptions {
  command: string;
  matches: string[];
  directory?: string;
  lookbackMs: number;
  backoffMaxMs: number;
}

/** What the pipeline needs from a journal: records in order, each handled before the next is read. */
export interface JournalSource {
  /** Resumes after the last handled entry (its cursor, and its time for when the cursor is unusable). */
  start(from: ResumePoint, onRecord: (record: JournalRecord) => void): void;
  stop(): Promise<void>;
  readonly running: boolean;
}

const STABLE_MS = 30_000; // a journalctl that ran this long resets the backoff
const STOP_WAIT_MS = 3000;

/** Follows the journal with the journalctl binary; restarts it with capped backoff, resuming after the last record. */
export class JournalctlSource implements JournalSource {
  private child?: ChildProcess;
  private stopped = false;
  /** The last record passed on. */
  private at: ResumePoint = {};
  private readonly gate = new ResumeGate();
  /** journalctl refused `at.cursor` (malformed, another journal): resume by time until a record gives a new one. */
  private cursorRefused = false;
  /** The matches `at.cursor` was read with: with others, its entry may not be printed first. */
  private cursorMatches = '';
  private backoffMs = 500;
  private restartTimer?: { cancel(): void };
  private onRecord?: (record: JournalRecord) => void;
  /** The running journalctl is being replaced (new options): its end is no failure. */
  private replacing = false;

  constructor(
    private opts: JournalOptions,
    private readonly log: Logger,
    private readonly clock: Clock,
  ) {}

  get running(): boolean {
    return !!this.child && this.child.exitCode === null;
  }

  start(from: ResumePoint, onRecord: (record: JournalRecord) => void): void {
    this.at = { ...from };
    this.cursorMatches = JSON.stringify(this.opts.matches);
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
    const matches = JSON.stringify(this.opts.matches);
    const args = followArgs(this.opts.matches, this.opts.directory, {
      ...this.gate.position(this.at, !this.cursorRefused, matches === this.cursorMatches),
      lookbackMs: this.opts.lookbackMs,
      now: this.clock.now(),
    });
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
      const admit = this.gate.admit(record, this.at);
      if (admit.gap) this.logGap(admit.gap);
      if (!admit.pass) return;
      const us = realtimeUs(record);
      if (typeof record.__CURSOR === 'string') {
        this.at = { cursor: record.__CURSOR, realtimeUs: us };
        this.cursorRefused = false;
        this.cursorMatches = matches;
      }
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
      if (/cursor/i.test(lastStderr) && this.at.cursor && !this.cursorRefused) {
        // journalctl cannot use the cursor: resume by the last entry's time instead of failing forever.
        this.cursorRefused = true;
        const since = this.at.realtimeUs !== undefined ? new Date(this.at.realtimeUs / 1000).toISOString() : undefined;
        this.log.log('WDG-JOURNAL-010', `journalctl cannot use the saved cursor (${lastStderr.slice(0, 200)}); resuming ${since ? `from ${since}` : 'from the lookback'}`, { cursor: this.at.cursor.slice(0, 200), since });
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

  private logGap(gap: Gap): void {
    const iso = (ms: number | undefined) => (ms !== undefined ? new Date(ms).toISOString() : 'unknown');
    const seconds = gap.fromMs !== undefined && gap.toMs !== undefined ? Math.max(0, (gap.toMs - gap.fromMs) / 1000) : undefined;
    this.log.log('WDG-JOURNAL-005', `the saved cursor's entry is no longer in the journal (rotated and vacuumed): entries from ${iso(gap.fromMs)} to ${iso(gap.toMs)} could not be read; reading goes on from there`, {
      gapFrom: iso(gap.fromMs),
      gapTo: iso(gap.toMs),
      gapSeconds: seconds,
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.restartTimer?.cancel();
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      // 'close' also waits for the pipes: a journalctl that does not go is killed, and we stop waiting
      const timer = this.clock.setTimeout(() => {
        child.kill('SIGKILL');
        child.stdout?.destroy();
        resolve();
      }, STOP_WAIT_MS);
      child.once('close', () => {
        timer.cancel();
        resolve();
      });
      child.kill('SIGTERM');
    });
  }
}
