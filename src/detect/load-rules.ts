// Reads a rules file (the one I/O step of the detect stage) and compiles it.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { readSmallFile, TooBigError } from '../adapters/read-small.js';
import { ConfigError } from '../errors.js';
import { compileRules, type RuleSet } from './rules.js';

/** The shipped config/rules.yml: two levels up from src/detect (and from dist/detect once built). */
export function defaultRulesPath(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '../../config/rules.yml');
}

export function loadRulesFile(path: string = defaultRulesPath()): RuleSet {
  let text: string;
  try {
    text = readSmallFile(path);
  } catch (err) {
    if (err instanceof TooBigError) throw new ConfigError([`rulesFile: ${path}: ${err.message} (check the path: a rules file is a few KiB)`]);
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError([
      `rulesFile: ${path}: cannot read the file (${code ?? (err as Error).message}) (fix the path or unset rulesFile to use the shipped rules)`,
    ]);
  }
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new ConfigError([`${path}: not valid YAML: ${(err as Error).message.split('\n')[0]}`]);
  }
  return compileRules(doc, path);
}
