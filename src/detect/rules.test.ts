import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, EXIT } from '../errors.js';
import { compileRules, type RulesDoc } from './rules.js';
import { defaultRulesPath, loadRulesFile as loadRules } from './load-rules.js';
import { SIGNAL_KINDS } from './signal-kinds.js';

function problemsOf(doc: unknown): string[] {
  try {
    compileRules(doc, 'rules.yml');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).exitCode).toBe(EXIT.config);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

const ok = { id: 'a-rule', signal: 'heartbeat-failed', match: { msg: '^x$' } };
const doc = (...rules: unknown[]): RulesDoc => ({ version: 1, rules }) as RulesDoc;

describe('the shipped config/rules.yml', () => {
  const set = loadRules();
  const text = readFileSync(defaultRulesPath(), 'utf8');

  it('compiles, with unique ids', () => {
    expect(set.rules.length).toBeGreaterThanOrEqual(30);
    expect(new Set(set.rules.map((r) => r.id)).size).toBe(set.rules.length);
  });

  it('produces every signal kind', () => {
    const kinds = new Set(set.rules.map((r) => r.kind));
    expect(SIGNAL_KINDS.filter((k) => !kinds.has(k))).toEqual([]);
  });

  it('names the upstream source file in the comment above every rule', () => {
    const blocks = text.split(/\n(?=  - id: )/).slice(1);
    expect(blocks.length).toBe(set.rules.length);
    const lines = text.split('\n');
    for (const rule of set.rules) {
      const at = lines.findIndex((l) => l === `  - id: ${rule.id}`);
      let comment = '';
      for (let i = at - 1; i >= 0 && lines[i].trimStart().startsWith('#'); i--) comment = lines[i] + '\n' + comment;
      expect(comment, rule.id).toMatch(/\.(go|c)\b|same (line|files)/);
    }
  });

  it('gives every message rule a prefilter text of some length', () => {
    for (const rule of set.rules) expect(rule.literal.length, rule.id).toBeGreaterThanOrEqual(8);
  });
});

describe('compileRules rejects a bad rules file, naming the rule and the field', () => {
  it('an unknown signal kind', () => {
    expect(problemsOf(doc({ ...ok, signal: 'heartbeat-lost' }))[0]).toMatch(/^rules\.yml: rules\[0\] \(a-rule\)\.signal: /);
  });

  it('a regex that does not compile', () => {
    expect(problemsOf(doc(ok, { ...ok, id: 'b', match: { msg: '(unclosed' } }))).toEqual([
      expect.stringMatching(/^rules\.yml: rules\[1\] \(b\)\.match\.msg: not a valid regular expression: /),
    ]);
    expect(problemsOf(doc({ ...ok, match: { fields: { error: { regex: '[' } } } }))[0]).toMatch(/match\.fields\.error\.regex: not a valid/);
  });

  it('count without within, within without count, a bad duration', () => {
    expect(problemsOf(doc({ ...ok, count: 3 }))[0]).toMatch(/\(a-rule\)\.within: count 3 needs a window/);
    expect(problemsOf(doc({ ...ok, within: '10s' }))[0]).toMatch(/\(a-rule\)\.count: within 10s needs a count/);
    expect(problemsOf(doc({ ...ok, count: 2, within: 'soon' }))[0]).toMatch(/\(a-rule\)\.within: "soon" is not a duration/);
  });

  it('a duplicate id, a typo in a key, a missing subject group, an empty match', () => {
    expect(problemsOf(doc(ok, ok))[0]).toMatch(/rules\[1\] \(a-rule\)\.id: "a-rule" is used by another rule/);
    expect(problemsOf(doc({ ...ok, mach: {} }))[0]).toMatch(/rules\[0\] \(a-rule\): Unrecognized key.*mach/);
    expect(problemsOf(doc({ ...ok, subject: { kind: 'node-id' } }))[0]).toMatch(/\.subject\.group: match\.msg has no named group \(\?<subject>…\)/);
    expect(problemsOf(doc({ ...ok, match: {} }))[0]).toMatch(/rules\[0\] \(a-rule\)\.match: a rule matches on msg, contains or fields/);
  });

  it('a document that is not a rules document', () => {
    expect(problemsOf(null)[0]).toMatch(/^rules\.yml: \(top level\): /);
    expect(problemsOf({ rules: [ok] })[0]).toMatch(/^rules\.yml: version: /);
    expect(problemsOf({ version: 1, rules: [] })[0]).toMatch(/^rules\.yml: rules: /);
  });

  it('compiles subject, detail groups, fields, levels and clears', () => {
    const set = compileRules(
      doc({
        id: 'w',
        signal: 'worker-registered',
        match: { msg: '^worker (?<subject>\\S+) was (?<how>\\w+) registered$', fields: { method: '(*Dispatcher).register', module: { regex: '^node' } } },
        level: ['info'],
        subject: { kind: 'node-id' },
        clears: ['session-failed'],
      }),
    );
    expect(set.rules[0]).toMatchObject({
      id: 'w', kind: 'worker-registered', literal: ' registered', subjectGroup: 'subject', subjectKind: 'node-id',
      detailGroups: ['how'], count: 1, clears: ['session-failed'],
    });
    expect(set.rules[0].fields[0]).toEqual({ name: 'method', exact: '(*Dispatcher).register' });
    expect(set.rules[0].fields[1].regex?.source).toBe('^node');
  });
});

describe('loadRules', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rules-'));

  it('reads a replacement rules file', () => {
    const path = join(dir, 'mine.yml');
    writeFileSync(path, 'version: 1\nrules:\n  - id: mine\n    signal: session-failed\n    match: { msg: "^agent: session failed$" }\n');
    expect(loadRules(path).rules.map((r) => r.id)).toEqual(['mine']);
    expect(loadRules(path).source).toBe(path);
  });

  it('reports a missing file and broken YAML as ConfigError', () => {
    expect(() => loadRules(join(dir, 'absent.yml'))).toThrow(/rulesFile: .*absent\.yml: cannot read the file \(ENOENT\)/);
    const bad = join(dir, 'bad.yml');
    writeFileSync(bad, 'version: 1\nrules: [\n');
    expect(() => loadRules(bad)).toThrow(ConfigError);
    expect(() => loadRules(bad)).toThrow(/bad\.yml: not valid YAML/);
  });
});
