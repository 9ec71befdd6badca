// Wordings of other engines and debug-level pastes (config/rules.yml "versions:").
import { describe, expect, it } from 'vitest';
import { loadRulesFile } from './load-rules.js';
import { RuleEngine } from './rule-engine.js';

const engine = new RuleEngine(loadRulesFile());
const rule = (msg: string) => engine.apply({ node: 'n', time: 1, level: 'info', msg, fields: {} }).map((s) => s.rule);

describe('memberlist across engines', () => {
  it('Docker 1.12–17.03 "Marking … as failed" without peer confirmations', () => {
    expect(rule('memberlist: Marking 3a7f as failed, suspect timeout reached')).toEqual(['gossip-marked-failed']);
  });
  it('the [DEBUG]/[INFO] prefix and the log date left inside msg', () => {
    expect(rule('[INFO] memberlist: Suspect 3a7f has failed, no acks received')).toEqual(['gossip-suspect']);
    expect(rule('2016/11/22 01:47:17 [DEBUG] memberlist: Suspect 3a7f has failed, no acks received')).toEqual(['gossip-suspect']);
    expect(rule('[DEBUG] memberlist: Stream connection from=10.0.0.2:7946')).toEqual([]);
  });
});
