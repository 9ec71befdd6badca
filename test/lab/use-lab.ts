// One real lab per e2e test file: up in beforeAll, always down in afterAll (and on signals/exit).
import path from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { CommandError, Lab, LAB_SCRIPT, run, type LabOptions } from './lab.js';

export interface UseLabOptions extends LabOptions {
  /** Test file the lab's default name derives from; default: the current vitest test file. */
  file?: string;
  /** beforeAll timeout; default 10 min. */
  upTimeoutMs?: number;
}

/** lab.sh up exits 3 when a live process still owns a lab of that name. */
const EXIT_IN_USE = 3;

/**
 * A LAB_NAME (≤ 5 chars [a-z0-9]) from a test file: two letters of its name plus a hash of its
 * path, so suites never share a lab. The subnet is picked free by lab.sh (LAB_SUBNET=auto).
 */
export function labNameFor(file: string): string {
  const rel = path.relative(process.cwd(), file) || file;
  const prefix = (path.basename(file).toLowerCase().replace(/[^a-z0-9]/g, '') + 'xx').slice(0, 2);
  let h = 0x811c9dc5;
  for (const c of rel) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return prefix + (h % 36 ** 3).toString(36).padStart(3, '0');
}

export function useLab(opts: UseLabOptions = {}): () => Lab {
  const file = opts.file ?? expect.getState().testPath ?? 'lab';
  const name = opts.name ?? labNameFor(file);
  let lab: Lab | undefined;
  let owned = false;

  const downSync = (): void => {
    if (!owned) return;
    owned = false;
    try {
      if (lab && !lab.wasDown) lab.downSync();
    } catch {
      // best effort: the reaper started by lab.sh up finishes the job once this process is gone
    }
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    downSync();
    removeHandlers();
    process.kill(process.pid, signal);
  };
  const onExit = (): void => downSync();
  const removeHandlers = (): void => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
    process.off('exit', onExit);
  };

  beforeAll(async () => {
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    process.once('SIGHUP', onSignal);
    process.once('exit', onExit);
    try {
      owned = true;
      lab = await Lab.up({ ...opts, name });
    } catch (err) {
      if (err instanceof CommandError && err.exitCode === EXIT_IN_USE) {
        owned = false;
      } else {
        await run('bash', [LAB_SCRIPT, 'down'], { env: { ...process.env, LAB_NAME: name } }).catch(() => undefined);
        owned = false;
      }
      throw err;
    }
  }, opts.upTimeoutMs ?? 600_000);

  afterAll(async () => {
    try {
      if (lab && owned) await lab.down();
    } finally {
      owned = false;
      removeHandlers();
    }
  }, 300_000);

  return () => {
    if (!lab) throw new Error(`lab ${name} is not up (use the getter inside tests/hooks; did beforeAll fail?)`);
    return lab;
  };
}
