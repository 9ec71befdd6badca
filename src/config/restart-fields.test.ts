import { describe, expect, it } from 'vitest';
import { parseConfig } from './load.js';
import { RESTART_FIELDS, restartNeeded } from './restart-fields.js';

describe('restartNeeded', () => {
  const base = parseConfig('', '(defaults)');
  it('names the changed fields that only a restart applies, nothing else', () => {
    const next = parseConfig('http: {port: 9400}\njournal: {matches: ["SYSLOG_IDENTIFIER=x"]}\ncorrelate: {quiet: 20s}\n', 'next');
    expect(restartNeeded(base, next)).toEqual(['http.port']);
    expect(restartNeeded(base, parseConfig('', 'same'))).toEqual([]);
  });

  it('lists only fields the schema has', () => {
    const all = parseConfig('node: n1\npeers: {service: watchdog_agent}\n', 'all set');
    for (const path of RESTART_FIELDS) {
      const value = path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], all);
      expect(value, path).not.toBeUndefined();
    }
  });
});
