import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';
import { Redactor } from './redact.js';
import { captureLog } from '../../test/support/log-capture.js';


describe('logger', () => {
  it('writes JSON with the catalog level and code', () => {
    const out = captureLog();
    const log = createLogger({ destination: out.destination });
    log.log('WDG-CONFIG-002', 'config invalid', { problems: 1 });
    log.log('WDG-CLI-001', 'bug');
    expect(out.lines.map((l) => [l.level, l.code, l.msg])).toEqual([
      ['error', 'WDG-CONFIG-002', 'config invalid'],
      ['critical', 'WDG-CLI-001', 'bug'],
    ]);
    expect(typeof out.lines[0].time).toBe('string');
  });

  it('tells its listener of every coded line, written or below the level, and survives a listener that throws', () => {
    const out = captureLog();
    const log = createLogger({ destination: out.destination, level: 'error' });
    const seen: string[] = [];
    log.control.listen = (code, msg) => seen.push(`${code} ${msg}`);
    log.child({ component: 'x' }).log('WDG-SLACK-001', 'delivered');
    log.log('WDG-CONFIG-002', 'config invalid');
    expect(seen).toEqual(['WDG-SLACK-001 delivered', 'WDG-CONFIG-002 config invalid']);
    log.control.listen = () => {
      throw new Error('listener bug');
    };
    log.log('WDG-CLI-001', 'still written');
    expect(out.lines.map((l) => l.msg)).toEqual(['config invalid', 'still written']);
  });

  it('switches debug on and off at runtime, for children too', () => {
    const out = captureLog();
    const log = createLogger({ destination: out.destination });
    const child = log.child({ component: 'journal' });
    child.debug('hidden');
    log.control.level = 'debug';
    child.debug('shown', { step: 1 });
    log.control.level = 'info';
    child.debug('hidden again');
    expect(out.lines.map((l) => l.msg)).toEqual(['shown']);
    expect(out.lines[0]).toMatchObject({ level: 'debug', component: 'journal', step: 1 });
  });

  it('filters by level: at "error", info lines are dropped', () => {
    const out = captureLog();
    const log = createLogger({ destination: out.destination, level: 'error' });
    log.log('WDG-CONFIG-001', 'loaded');
    log.log('WDG-CONFIG-002', 'invalid');
    expect(out.lines.map((l) => l.code)).toEqual(['WDG-CONFIG-002']);
  });

  it('redacts the webhook URL and the peer token from every line', () => {
    const out = captureLog();
    const redactor = new Redactor();
    const webhook = 'http://127.0.0.1:9999/services/T000/B000/XXXXsecretXXXX';
    const token = 'peer-token-0f3a9c"quoted';
    redactor.setSecrets([webhook, token]);
    const log = createLogger({ destination: out.destination, redactor, level: 'debug' });
    log.log('WDG-CONFIG-002', `posting to ${webhook}`, { url: webhook, nested: { token } });
    log.debug('header', { authorization: `Bearer ${token}`, err: new Error(`failed ${webhook}`) });
    log.debug('slack shape', { url: 'https://hooks.slack.com/services/T1/B2/abc' });
    const text = out.raw.join('\n');
    expect(text).not.toContain('XXXXsecretXXXX');
    expect(text).not.toContain('peer-token-0f3a9c');
    expect(text).not.toContain('hooks.slack.com/services/T1');
    expect(text.match(/\[REDACTED\]/g)?.length).toBeGreaterThanOrEqual(5);
  });
});
