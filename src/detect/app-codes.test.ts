import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.js';
import { codeMatcher } from './app-codes.js';

const defaults = parseConfig('', '(test)', {}).appLogs;
const m = codeMatcher({ ...defaults, reconnectCodes: ['*-REDIS-001', 'API-ELASTIC-001'] });

describe('application log codes', () => {
  it('reads codes from JSON fields in the configured order', () => {
    expect(m.codeOf('{"level":"info","code":"API-REDIS-001","msg":"reconnected to redis"}')).toBe('API-REDIS-001');
    expect(m.codeOf('{"logCode":"PAY-DB-002"}')).toBe('PAY-DB-002');
    expect(m.codeOf('{"level":"error","msg":"api-sync-fail-customer-info"}')).toBe('api-sync-fail-customer-info');
  });

  it('does not take a sentence in msg for a code, but finds a code inside it', () => {
    expect(m.codeOf('{"msg":"connection reset by peer"}')).toBeUndefined();
    expect(m.codeOf('{"msg":"reconnected (API-REDIS-001) after 2 s"}')).toBe('API-REDIS-001');
  });

  it('only what matches the code pattern is a code: not a UUID, a request id or a bare token', () => {
    expect(m.codeOf('{"level":"info","msg":"550e8400-e29b-41d4-a716-446655440000"}')).toBeUndefined();
    expect(m.codeOf('{"code":"550e8400-e29b-41d4-a716-446655440000","msg":"API-REDIS-001 back"}')).toBe('API-REDIS-001');
    expect(m.codeOf('{"code":"req-7f3a9c21","msg":"done"}')).toBeUndefined();
    expect(m.codeOf('{"code":"E1234"}')).toBeUndefined();
    expect(m.codeOf('550e8400-e29b-41d4-a716-446655440000')).toBeUndefined();
    expect(m.codeOf(`${'x'.repeat(2000)} API-ELASTIC-001 reconnected`)).toBe('API-ELASTIC-001');
  });

  it('finds [SERVICE]-[FEATURE]-NNN in plain text and broken JSON', () => {
    expect(m.codeOf('2026-11-22 11:21:03 WARN API-ELASTIC-001 reconnected')).toBe('API-ELASTIC-001');
    expect(m.codeOf('{"code":"API-REDIS-001"')).toBe('API-REDIS-001');
    expect(m.codeOf('plain line without code')).toBeUndefined();
    expect(m.codeOf('')).toBeUndefined();
  });

  it('matches reconnect codes exactly or by pattern', () => {
    expect(m.isReconnect('API-REDIS-001')).toBe(true);
    expect(m.isReconnect('WORKER-REDIS-001')).toBe(true);
    expect(m.isReconnect('API-REDIS-002')).toBe(false);
    expect(m.isReconnect('API-ELASTIC-001')).toBe(true);
    expect(m.isReconnect('XAPI-ELASTIC-001')).toBe(false);
  });
});
