import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureLog } from '../../test/support/log-capture.js';
import { governorStateSchema, notifierStateSchema } from '../agent/state-schemas.js';
import { createLogger } from '../log/logger.js';
import { readState, StateFile } from './state-file.js';

const dir = () => mkdtempSync(join(tmpdir(), 'wdg-state-'));

describe('StateFile', () => {
  it('keeps a file of the wrong shape aside as .bad-<time>, reports it once, and writes a fresh one beside it', () => {
    const d = dir();
    const path = join(d, 'alerts.json');
    writeFileSync(path, JSON.stringify({ alerted: 'everything' }));
    const file = new StateFile<{ alerted: unknown[] }>(path, notifierStateSchema);
    const out = captureLog();
    expect(readState(file, 'alert state', createLogger({ destination: out.destination }))).toBeUndefined();
    const kept = readdirSync(d).filter((f) => f.startsWith('alerts.json.bad-'));
    expect(kept).toHaveLength(1);
    expect(readFileSync(join(d, kept[0]), 'utf8')).toBe('{"alerted":"everything"}');
    expect(existsSync(path)).toBe(false);
    expect(out.lines).toEqual([expect.objectContaining({ code: 'WDG-STATE-001', path, keptAs: join(d, kept[0]), problem: expect.stringContaining('alerted') })]);

    file.write({ alerted: [] });
    expect(file.load()).toEqual({ value: { alerted: [] } });
    expect(readdirSync(d).filter((f) => f.includes('.bad-'))).toHaveLength(1);
  });

  it('keeps a file that is not JSON aside too', () => {
    const path = join(dir(), 'rebalance.json');
    writeFileSync(path, '{"moves":[{"at":1,');
    const r = new StateFile(path, governorStateSchema).load(Date.UTC(2026, 0, 2, 3, 4, 5, 6));
    expect(r.problem).toMatch(/^not JSON/);
    expect(r.keptAs).toBe(`${path}.bad-2026-01-02T03-04-05-006Z`);
    expect(existsSync(r.keptAs!)).toBe(true);
  });

  it('a missing file is no problem, and a valid one is returned as written', () => {
    const path = join(dir(), 'rebalance.json');
    const file = new StateFile(path, governorStateSchema);
    expect(file.load()).toEqual({});
    file.write({ moves: [{ at: 5, count: 2 }], lastRun: { svc: 5 } });
    expect(file.read()).toEqual({ moves: [{ at: 5, count: 2 }], lastRun: { svc: 5 } });
  });
});
