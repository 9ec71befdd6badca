import { closeSync, copyFileSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { z } from 'zod';
import type { Logger } from '../log/logger.js';

/** What reading a state file found. A bad file has been moved aside to `keptAs`. */
export interface StateRead<T> {
  value?: T;
  problem?: string;
  keptAs?: string;
}

/**
 * One JSON document in the state directory, replaced atomically (write a temp file, fsync, rename,
 * fsync the directory), so a crash or power loss leaves either the old or the new version. Read
 * back through its schema: a file that is not JSON or not of its shape (a newer version, a hand
 * edit) is kept as `<file>.bad-<time>` for a post-mortem, never overwritten.
 */
export class StateFile<T> {
  constructor(
    readonly path: string,
    private readonly schema?: z.ZodType,
  ) {}

  load(now = Date.now()): StateRead<T> {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
      return { problem: `cannot read it: ${(err as Error).message}` }; // EACCES, EISDIR: nothing to move aside
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      return this.setAside(`not JSON: ${(err as Error).message}`, now);
    }
    const checked = this.schema?.safeParse(value);
    if (checked && !checked.success) {
      const issue = checked.error.issues[0];
      return this.setAside(`not the shape this version writes: ${issue?.path.join('.') || '(top level)'}: ${issue?.message}`, now);
    }
    return { value: value as T }; // the file's own value: the schema checks, it does not rewrite
  }

  /** The saved value or undefined when there is none; a bad file throws (after it was moved aside). */
  read(): T | undefined {
    const r = this.load();
    if (r.problem) throw new Error(`${this.path}: ${r.problem}${r.keptAs ? ` (kept as ${r.keptAs})` : ''}`);
    return r.value;
  }

  write(value: T): void {
    const dir = dirname(this.path);
    mkdirSync(dir, { recursive: true });
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(value));
    fsync(tmp);
    renameSync(tmp, this.path);
    fsync(dir); // the rename itself is durable only once the directory is
  }

  /** A copy of the file as it is now, when only a part of it is unusable and the rest is used. */
  keepCopy(now = Date.now()): string | undefined {
    const keptAs = this.badName(now);
    try {
      copyFileSync(this.path, keptAs);
      return keptAs;
    } catch {
      return undefined;
    }
  }

  private badName(now: number): string {
    return `${this.path}.bad-${new Date(now).toISOString().replace(/[:.]/g, '-')}`;
  }

  private setAside(problem: string, now: number): StateRead<T> {
    const keptAs = this.badName(now);
    try {
      renameSync(this.path, keptAs);
      fsync(dirname(this.path));
      return { problem, keptAs };
    } catch (err) {
      return { problem: `${problem}; could not keep it aside: ${(err as Error).message}` };
    }
  }
}

function fsync(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Reads a state file; a bad one is reported once with a coded line naming where it was kept. */
export function readState<T>(file: StateFile<T>, what: string, log: Logger): T | undefined {
  const r = file.load();
  if (r.problem) {
    log.log('WDG-STATE-001', `${what} ${file.path} is unusable (${r.problem}); ${r.keptAs ? `kept as ${r.keptAs}, ` : ''}starting that part fresh`, { path: file.path, keptAs: r.keptAs, problem: r.problem });
  }
  return r.value;
}
