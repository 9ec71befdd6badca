import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataError, UsageError } from '../errors.js';
import { readLines } from './read-lines.js';

const file = (content: string | Buffer) => {
  const path = join(mkdtempSync(join(tmpdir(), 'wdg-lines-')), 'in.log');
  writeFileSync(path, content);
  return path;
};
const all = async (path: string, max?: number) => {
  const out: Array<[number, string]> = [];
  for await (const l of readLines('--input', path, max)) out.push([l.no, l.text]);
  return out;
};

describe('readLines', () => {
  it('numbers lines, strips CRLF, keeps a last line without newline and UTF-8 across chunk ends', async () => {
    const long = 'é'.repeat(70_000); // 140 kB: spans chunks of 64 kB, split inside a character
    expect(await all(file(`a\r\n\nb\n${long}\nend`))).toEqual([[1, 'a'], [2, ''], [3, 'b'], [4, long], [5, 'end']]);
  });

  it('a line over the cap is a data error naming file and line, found without reading the rest', async () => {
    const path = file(`ok\n${'x'.repeat(300_000)}\nnever`);
    await expect(all(path, 100_000)).rejects.toThrow(new DataError(`--input ${path} line 2: longer than 98 KiB, not a log line (is this the right file?)`));
  });

  it('a directory or a missing file is a usage error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wdg-lines-'));
    await expect(all(dir)).rejects.toThrow(UsageError);
    await expect(all(dir)).rejects.toThrow(/is a directory/);
    await expect(all(join(dir, 'nope'))).rejects.toThrow(/cannot read the file: ENOENT/);
  });
});
