import { describe, expect, it } from 'vitest';
import { codeMatcher } from './app-codes.js';

const m = codeMatcher({
  codeFields: ['code', 'logCode', 'msg'],
  codePattern: '\\b[A-Z][A-Z0-9]*-[A-Z][A-Z0-9]*-\\d{3}\\b',
  reconnectCodes: ['*-REDIS-001', 'API-ELASTIC-001'],
});

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
