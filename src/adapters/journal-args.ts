// journalctl's command line, built from config and where we resume. Pure.

export interface JournalPosition {
  /**
   * Resume at this entry (it is printed first and the reader drops it). Not --after-cursor: when the
   * entry was vacuumed, journalctl skips the first entry that is still there and it is lost unseen.
   */
  atCursor?: string;
  /** No usable cursor: from this time (ms since the epoch; whole seconds, the reader drops what it had). */
  sinceMs?: number;
  /** Neither: start this many ms before `now` (0 = from now). */
  lookbackMs?: number;
  now: number;
}

export function followArgs(matches: string[], directory: string | undefined, pos: JournalPosition): string[] {
  // --all: without it journalctl prints null for fields over 4096 bytes.
  const args = ['--output=json', '--all', '--follow', '--no-pager', '--utc'];
  if (directory) args.push(`--directory=${directory}`);
  if (pos.atCursor) {
    // Without --no-tail, --follow replays only the last 10 entries after the cursor.
    args.push(`--cursor=${pos.atCursor}`, '--no-tail');
  } else if (pos.sinceMs !== undefined) {
    args.push(`--since=@${Math.floor(pos.sinceMs / 1000)}`, '--no-tail');
  } else if (pos.lookbackMs && pos.lookbackMs > 0) {
    args.push(`--since=@${Math.floor((pos.now - pos.lookbackMs) / 1000)}`, '--no-tail');
  } else {
    args.push('--lines=0');
  }
  return [...args, ...matches];
}

/** The realtime (µs) a cursor points at, to fall back to --since when the cursor's file was vacuumed. */
export function cursorTimeMs(cursor: string): number | undefined {
  const m = /(?:^|;)t=([0-9a-f]+)/.exec(cursor);
  return m ? Math.floor(parseInt(m[1], 16) / 1000) : undefined;
}
