// The agent and `watchdog diagnose` run one pipeline: the same journal records give the same
// incidents through the agent's path (intake record by record into its correlator) and through the
// CLI reading them from an export file.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { JournalRecord } from '../adapters/journalctl.js';
import { main } from '../cli/main.js';
import { parseConfig } from '../config/load.js';
import { Correlator } from '../correlate/correlator.js';
import { incidentToJson } from '../correlate/incident-json.js';
import { codeMatcher } from '../detect/app-codes.js';
import { loadRulesFile } from '../detect/load-rules.js';
import { RuleEngine } from '../detect/rule-engine.js';
import { captureDir, captureLines } from '../../test/fixtures/shared.js';
import { correlatorOptions } from './correlator-options.js';
import { intake, type IntakeState } from './intake.js';

const config = parseConfig('', '(defaults)', {});

function records(capture: string, node: string, boots: (i: number) => string = () => 'boot1'): JournalRecord[] {
  return captureLines(captureDir(capture), `${node}.dockerd.log`).map((MESSAGE, i) => {
    const t = /time="([^"]+)"/.exec(MESSAGE)?.[1];
    const us = t ? Math.round(Date.parse(t) * 1000) : 0;
    return { MESSAGE, SYSLOG_IDENTIFIER: 'dockerd', _HOSTNAME: node, __CURSOR: `c${i}`, __REALTIME_TIMESTAMP: String(us), _BOOT_ID: boots(i) };
  });
}

/** What the agent does with its journal: every record through intake, straight into its correlator. */
function agentPath(node: string, recs: JournalRecord[]): unknown[] {
  const deps = { rules: new RuleEngine(loadRulesFile()), codes: codeMatcher(config.appLogs) };
  const correlator = new Correlator(correlatorOptions(config));
  const state: IntakeState = {};
  let last = 0;
  for (const r of recs) {
    const { entry, observations } = intake(r, node, state, deps);
    if (entry) last = Math.max(last, entry.time);
    for (const obs of observations) correlator.add(obs);
  }
  correlator.tick(last + config.correlate.quiet + 1);
  return correlator.incidents().map(incidentToJson);
}

async function diagnosePath(node: string, recs: JournalRecord[]): Promise<unknown[]> {
  const file = join(mkdtempSync(join(tmpdir(), 'wdg-agree-')), `${node}.json`);
  writeFileSync(file, recs.map((r) => JSON.stringify(r)).join('\n') + '\n');
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true));
  const code = await main(['node', 'watchdog', 'diagnose', '--input', file, '--json']);
  vi.restoreAllMocks();
  expect(code).toBe(0);
  return JSON.parse(out).incidents;
}

afterEach(() => vi.restoreAllMocks());

describe('one pipeline: the agent and diagnose agree', () => {
  it.each([
    ['restart', 'node2', 'daemon-restart'],
    ['flap', 'node3', 'flapping'],
    ['A-worker3-partition', 'node3', 'partition'],
  ])('%s of %s', async (capture, node, kind) => {
    const recs = records(capture, node);
    const agent = agentPath(node, recs);
    expect(agent.map((i) => (i as { kind: string }).kind)).toContain(kind);
    expect(await diagnosePath(node, recs)).toEqual(agent);
  });

  it('a new _BOOT_ID across a restart is a host-reboot for both (diagnose used to say daemon-restart)', async () => {
    const all = records('restart', 'node2');
    const start = all.findIndex((r) => String(r.MESSAGE).includes('msg="Starting up"'));
    const recs = records('restart', 'node2', (i) => (i < start ? 'boot1' : 'boot2'));
    const agent = agentPath('node2', recs);
    expect(agent.map((i) => (i as { kind: string }).kind)).toEqual(['host-reboot']);
    expect(await diagnosePath('node2', recs)).toEqual(agent);
  });
});
