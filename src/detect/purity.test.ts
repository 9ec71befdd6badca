import { describe, it, expect, vi, afterEach } from 'vitest';
import { SessionTracker } from './session-tracker.js';
import { RuleEngine } from './rule-engine.js';
import { compileRules } from './rules.js';
import { parseLogrusLine } from '../sources/logrus/parse.js';

// The detect core takes time only from its inputs: reading the clock or arming a timer is a bug.
describe('the detect core reads no clock and arms no timer', () => {
  afterEach(() => vi.restoreAllMocks());

  it('parse → rules → node states', () => {
    const rules = compileRules({
      version: 1,
      rules: [
        { id: 'f', signal: 'session-failed', match: { msg: '^agent: session failed$' }, errorClass: 'error', count: 2, within: '10s' },
        { id: 'r', signal: 'worker-registered', match: { msg: '^worker (?<subject>\\S+) was successfully registered$' }, subject: { kind: 'node-id' }, clears: ['session-failed'] },
      ],
    });
    const forbidden = () => {
      throw new Error('clock or timer used');
    };
    vi.spyOn(Date, 'now').mockImplementation(forbidden);
    vi.spyOn(performance, 'now').mockImplementation(forbidden);
    vi.spyOn(globalThis, 'setTimeout').mockImplementation(forbidden as never);
    vi.spyOn(globalThis, 'setInterval').mockImplementation(forbidden as never);
    const engine = new RuleEngine(rules);
    const states = new SessionTracker();
    const lines: [string, string][] = [
      ['node3', 'time="2026-11-22T01:44:28.2Z" level=error msg="agent: session failed" error="rpc error: code = Unavailable desc = x" node.id=abc'],
      ['node3', '{"level":"error","msg":"agent: session failed","error":"context deadline exceeded","node.id":"abc","time":"2026-11-22T01:44:29Z"}'],
      ['node1', 'time="2026-11-22T01:45:01.9Z" level=info msg="worker abc was successfully registered"'],
    ];
    const changes = lines.flatMap(([node, line]) => {
      const p = parseLogrusLine(line);
      return engine.apply({ node, time: p.time!, level: p.level, msg: p.msg, fields: p.fields }).flatMap((s) => [...states.tick(s.time), states.apply(s) ?? []].flat());
    });
    expect(changes.map((c) => c.to)).toEqual(['session-lost', 'recovered']);
    expect(states.tick(Date.UTC(2026, 10, 22, 2)).map((c) => c.to)).toEqual(['connected']);
  });
});
