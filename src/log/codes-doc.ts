import { CODES } from './codes.js';

/** docs/log-codes.md, generated from the catalog so the two never disagree. */
export function renderCodesDoc(): string {
  const rows = Object.entries(CODES)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([code, info]) => `| \`${code}\` | ${info.level} | ${info.meaning} | ${info.action} |`);
  return [
    '# swarm-watchdog log codes',
    '',
    'Every line the watchdog logs at info level or above carries one of these codes in its `code` field.',
    'Generated from `src/log/codes.ts` by `npm run docs:codes`; a test fails when they differ.',
    '',
    '| code | level | meaning | what to do |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
