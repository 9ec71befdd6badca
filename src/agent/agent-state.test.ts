import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureLog } from '../../test/support/log-capture.js';
import { parseConfig } from '../config/load.js';
import { Correlator } from '../correlate/correlator.js';
import { createLogger } from '../log/logger.js';
import { agentStateFile, readAgentState, restoreCorrelator } from './agent-state.js';
import { correlatorOptions } from '../pipeline/correlator-options.js';
import { EvidenceLog } from './evidence-log.js';

const options = correlatorOptions(parseConfig('', '(test)', {}));

function saved(doc: unknown) {
  const d = mkdtempSync(join(tmpdir(), 'wdg-agent-state-'));
  const path = join(d, 'agent-state.json');
  writeFileSync(path, JSON.stringify(doc));
  const out = captureLog();
  return { d, path, file: agentStateFile(path), out, log: createLogger({ destination: out.destination }) };
}

const good = () => ({
  version: 1,
  cursor: 's=ab;i=1;t=5f4a2b1c3d000',
  cursorRealtimeUs: 1_796_000_000_000_000,
  handled: 3,
  intake: {},
  evidence: { next: 2, items: [{ seq: 1, obs: { type: 'boot', time: 1, node: 'node1', bootId: 'b1' } }] },
  marks: { node2: 4 },
  correlator: new Correlator(options).toState(),
});

describe('agent state on read', () => {
  it('a newer version is kept aside and the agent starts fresh with a coded line', () => {
    const s = saved({ ...good(), version: 2 });
    const state = readAgentState(s.file, s.log);
    expect(state).toMatchObject({ version: 1, handled: 0 });
    expect(state.cursor).toBeUndefined();
    expect(readdirSync(s.d).some((f) => f.startsWith('agent-state.json.bad-'))).toBe(true);
    expect(s.out.lines.map((l) => l.code)).toEqual(['WDG-STATE-001']);
  });

  it('evidence of the wrong shape does not crash the start (it used to, on every restart)', () => {
    const s = saved({ ...good(), evidence: { next: 1, items: null } });
    const state = readAgentState(s.file, s.log);
    expect(() => EvidenceLog.fromState(state.evidence)).not.toThrow();
    expect(s.out.lines.map((l) => l.code)).toEqual(['WDG-STATE-001']);
  });

  it('an unknown observation in the saved evidence is refused, naming it', () => {
    const s = saved({ ...good(), evidence: { next: 2, items: [{ seq: 1, obs: { type: 'future-kind', time: 1 } }] } });
    readAgentState(s.file, s.log);
    expect(String(s.out.lines[0]?.problem)).toContain('future-kind');
  });

  it('bad saved incidents cost only the incidents: cursor, its time and evidence are kept, a copy is kept aside', () => {
    const doc = good();
    const correlator = { ...doc.correlator, reconnects: { keys: [{ service: 'api', code: 'X-1', tasks: null, last: 1 }], taskCounts: {} } };
    const s = saved({ ...doc, correlator });
    const state = readAgentState(s.file, s.log);
    expect(state).toMatchObject({ cursor: doc.cursor, cursorRealtimeUs: doc.cursorRealtimeUs, handled: 3 });
    const c = restoreCorrelator(state, options, s.file, s.log);
    expect(c.toState().reconnects.keys).toEqual([]);
    expect(existsSync(s.path)).toBe(true);
    expect(readdirSync(s.d).filter((f) => f.startsWith('agent-state.json.bad-'))).toHaveLength(1);
    expect(s.out.lines).toEqual([expect.objectContaining({ code: 'WDG-STATE-001', problem: expect.stringContaining('correlator.reconnects.keys.0.tasks') })]);
  });

  it('a good file is read as written, without a line', () => {
    const s = saved(good());
    const state = readAgentState(s.file, s.log);
    expect(state.marks).toEqual({ node2: 4 });
    restoreCorrelator(state, options, s.file, s.log);
    expect(s.out.lines).toEqual([]);
  });
});
