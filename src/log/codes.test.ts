import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CODES } from './codes.js';
import { renderCodesDoc } from './codes-doc.js';

const root = new URL('../..', import.meta.url).pathname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') && !path.endsWith('codes.ts') ? [path] : [];
  });
}

describe('log-code catalog', () => {
  const used = new Set<string>();
  // The image's entrypoint logs before the agent exists.
  for (const file of [...sourceFiles(join(root, 'src')), join(root, 'scripts/image/entrypoint.sh')]) {
    for (const m of readFileSync(file, 'utf8').matchAll(/(WDG-[A-Z]+-\d{3})/g)) used.add(m[1]);
  }

  it('holds every code the code base logs', () => {
    const missing = [...used].filter((c) => !(c in CODES));
    expect(missing).toEqual([]);
  });

  it('holds no code that nothing uses', () => {
    const unused = Object.keys(CODES).filter((c) => !used.has(c));
    expect(unused).toEqual([]);
  });

  it('follows WDG-<FEATURE>-<NNN> and documents meaning and action', () => {
    for (const [code, info] of Object.entries(CODES)) {
      expect(code).toMatch(/^WDG-[A-Z]+-\d{3}$/);
      expect(info.meaning.length).toBeGreaterThan(10);
      expect(info.action.length).toBeGreaterThan(3);
    }
  });

  it('matches docs/log-codes.md (regenerate with npm run docs:codes)', () => {
    expect(readFileSync(join(root, 'docs/log-codes.md'), 'utf8')).toBe(renderCodesDoc());
  });
});
