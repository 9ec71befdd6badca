import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { regexText, requiredLiteral } from './regex-literal.js';

describe('requiredLiteral', () => {
  it('finds the longest text every match must contain', () => {
    expect(requiredLiteral('^heartbeat to manager (?<manager>.*) failed$')).toBe('heartbeat to manager ');
    expect(requiredLiteral('^raft\\.node: (?<s>[0-9a-f]+) elected leader (?<l>[0-9a-f]+)')).toBe(' elected leader ');
    expect(requiredLiteral('^memberlist: Marking (?<subject>\\S+) as failed, suspect timeout reached \\((?<n>\\d+) peer')).toBe(
      ' as failed, suspect timeout reached (',
    );
  });

  it('drops characters a quantifier makes optional, and escapes that stand for classes', () => {
    expect(requiredLiteral('abcd?')).toBe('abc');
    expect(requiredLiteral('abc*de')).toBe('ab');
    expect(requiredLiteral('ab{0,2}cdef')).toBe('cdef');
    expect(requiredLiteral('abc+d')).toBe('abc');
    expect(requiredLiteral('x\\d\\x41yz')).toBe('yz');
    expect(requiredLiteral('ab\\u0041cd\\u{1F600}e')).toBe('ab');
    expect(requiredLiteral('a😀?')).toBe('a');
  });

  it('gives nothing when the expression has a top-level alternative', () => {
    expect(requiredLiteral('dispatcher starting|dispatcher stopping')).toBe('');
    expect(requiredLiteral("^Processing signal '(terminated|interrupt)'$")).toBe("Processing signal '");
  });

  it('finds the text an anchored expression starts with', () => {
    expect(regexText('^heartbeat to manager (?<m>.*) failed$')).toEqual({ literal: 'heartbeat to manager ', prefix: 'heartbeat to manager ' });
    expect(regexText('^raft\\.node: (?<s>[0-9a-f]+) elected leader').prefix).toBe('raft.node: ');
    expect(regexText('^waiting (?<d>\\S+) before registering session$')).toEqual({ literal: ' before registering session', prefix: 'waiting ' });
    expect(regexText('^ab?c').prefix).toBe('a');
    expect(regexText('^(?<s>\\S+) became leader').prefix).toBe('');
    expect(regexText('x^ab').prefix).toBe('');
    expect(regexText('^ab|^cd').prefix).toBe('');
  });

  const isValid = (src: string) => {
    try {
      new RegExp(src);
      return true;
    } catch {
      return false; // e.g. a named group twice
    }
  };
  // Soundness: whatever string a regex matches contains the literal (fast-check generates the matches).
  const token = fc.constantFrom(
    'a', 'b', 'c', ' ', 'ab', 'abc', '\\.', '\\(', '\\{', 'x*', 'y+', 'z?', 'q{2}', 'r{0,2}', '(a|b)', '(?<g>ab)', '(?:cd)?',
    '[ab]', '\\d', '\\s', '.', '\\x41', '\\u0042', 'c+?', 'a|', '|b',
  );
  it('is contained in (and the prefix starts) every string the expression matches (2,000 random expressions)', () => {
    fc.assert(
      fc.property(
        fc.tuple(fc.boolean(), fc.array(token, { minLength: 1, maxLength: 8 })).map(([anchor, t]) => (anchor ? '^' : '') + t.join('')).filter(isValid).chain((src) => fc.tuple(fc.constant(src), fc.stringMatching(new RegExp(src)))),
        ([src, text]) => {
          expect(new RegExp(src).test(text)).toBe(true);
          const { literal, prefix } = regexText(src);
          expect(text.includes(literal)).toBe(true);
          expect(text.startsWith(prefix)).toBe(true);
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
