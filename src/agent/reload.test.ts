import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../test/support/fake-clock.js';
import { captureLog } from '../../test/support/log-capture.js';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { ConfigError } from '../errors.js';
import { createLogger } from '../log/logger.js';
import { Health } from '../operate/health.js';
import { Metrics } from '../operate/metrics.js';
import { startSummarySchedule } from '../operate/summary-schedule.js';
import { liveSteps, reloadConfig } from './reload.js';

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'wdg-reload-'));
  writeFileSync(join(dir, 'old-token'), 'old-token-1234');
  writeFileSync(join(dir, 'new-token'), 'new-token-5678');
  const file = join(dir, 'watchdog.yml');
  writeFileSync(file, `peers: {tokenFile: ${dir}/old-token}\n`);
  const capture = captureLog();
  const log = createLogger({ destination: capture.destination });
  let config = loadConfig(file, {});
  const started = config;
  const events: string[] = [];
  const schedules: Array<{ stop(): void; stopped: boolean; expr: string }> = [];
  let current: { stop(): void } = { stop: () => events.push('old schedule stopped') };
  let agentRefuses: Error | undefined;
  const prepare = liveSteps({
    startSchedule: (c) => {
      const real = startSummarySchedule({ schedule: c.summary.schedule, timezone: c.summary.timezone, log, post: () => {} }); // throws like the agent's
      const s = { expr: c.summary.schedule, stopped: false, stop: () => ((s.stopped = true), real.stop()) };
      schedules.push(s);
      return s;
    },
    swapSchedule: (next) => {
      current.stop();
      current = next;
    },
    agent: {
      prepareConfig: () => {
        if (agentRefuses) throw agentRefuses;
        return () => events.push('agent applied');
      },
    },
    setConfig: (next) => {
      config = next;
    },
    applyRest: () => events.push('rest applied'),
  });
  const health = new Health();
  const metrics = new Metrics();
  let load = () => loadConfig(file, {});
  const reload = () => reloadConfig({ load: () => load(), running: () => config, started, prepare, health, metrics, log, clock: new FakeClock(0), }, 'test');
  return {
    dir, file, events, schedules, health, metrics, reload,
    token: () => config.secrets.peerToken,
    lines: () => capture.lines as Array<Record<string, unknown>>,
    setLoad: (fn: () => Config) => (load = fn),
    refuseInAgent: (err?: Error) => (agentRefuses = err),
    stopAll: () => schedules.forEach((s) => s.stop()),
  };
}

describe('config reload is all or nothing', () => {
  it('a new token plus a bad schedule in the file: refused, the old token and schedule stay', () => {
    const t = setup();
    writeFileSync(t.file, `peers: {tokenFile: ${t.dir}/new-token}\nsummary: {schedule: "61 8 * * *"}\n`);
    expect(t.reload()).toBe('refused');
    expect(t.token()).toBe('old-token-1234');
    expect(t.events).toEqual([]);
    expect(t.health.report().find((e) => e.Name === 'config')).toMatchObject({ Status: 'ERROR', Detail: expect.stringContaining('summary.schedule') });
    expect(t.lines().filter((l) => l.code === 'WDG-CONFIG-004')).toHaveLength(1);
  });

  it('a schedule that fails to start (past the schema) refuses the reload before anything changes', () => {
    const t = setup();
    const next = loadConfig(t.file, { WATCHDOG_PEER_TOKEN_FILE: `${t.dir}/new-token` });
    t.setLoad(() => ({ ...next, summary: { ...next.summary, schedule: 'whenever' } }));
    expect(t.reload()).toBe('refused');
    expect(t.token()).toBe('old-token-1234');
    expect(t.events).toEqual([]); // the running schedule was not stopped
  });

  it('an agent that refuses (rules, code pattern) stops the new schedule and keeps the old one', () => {
    const t = setup();
    writeFileSync(t.file, `peers: {tokenFile: ${t.dir}/new-token}\nsummary: {schedule: "30 9 * * *"}\n`);
    t.refuseInAgent(new ConfigError(['rulesFile: changed under us']));
    expect(t.reload()).toBe('refused');
    expect(t.token()).toBe('old-token-1234');
    expect(t.schedules.map((s) => [s.expr, s.stopped])).toEqual([['30 9 * * *', true]]);
    expect(t.events).toEqual([]);
    expect(t.lines().find((l) => l.code === 'WDG-CONFIG-004')?.problems).toEqual(['rulesFile: changed under us']);
  });

  it('a valid change is applied whole, once', () => {
    const t = setup();
    writeFileSync(t.file, `peers: {tokenFile: ${t.dir}/new-token}\nsummary: {schedule: "30 9 * * *"}\nhttp: {port: 9400}\n`);
    expect(t.reload()).toBe('applied');
    expect(t.token()).toBe('new-token-5678');
    expect(t.events).toEqual(['old schedule stopped', 'agent applied', 'rest applied']);
    expect(t.reload()).toBe('unchanged');
    expect(t.lines().map((l) => l.code).filter((c) => String(c).startsWith('WDG-CONFIG'))).toEqual(['WDG-CONFIG-003', 'WDG-CONFIG-005']);
    t.stopAll();
  });
});
