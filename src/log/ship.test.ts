import dgram from 'node:dgram';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';
import { Redactor } from './redact.js';
import { formatDatagram, gelfDatagram, MAX_DATAGRAM, shipTo, syslogDatagram, UdpShipper, utf8Prefix } from './ship.js';

const line = (rec: Record<string, unknown>) => `${JSON.stringify({ level: 'error', time: '2026-03-01T10:00:00.123Z', service: 'swarm-watchdog', ...rec })}\n`;

const sink = () => new Writable({ write: (_c, _e, done) => done() });

const receivers: dgram.Socket[] = [];
afterEach(() => {
  for (const r of receivers.splice(0)) r.close();
});

async function receiver(): Promise<{ port: number; messages: string[]; next: () => Promise<string> }> {
  const socket = dgram.createSocket('udp4');
  receivers.push(socket);
  const messages: string[] = [];
  const waiters: Array<(m: string) => void> = [];
  socket.on('message', (buf) => {
    const m = buf.toString('utf8');
    const w = waiters.shift();
    if (w) w(m);
    else messages.push(m);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    port: socket.address().port,
    messages,
    next: () => (messages.length ? Promise.resolve(messages.shift()!) : new Promise((resolve) => waiters.push(resolve))),
  };
}

const until = async (check: () => boolean, ms = 2000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('syslog datagrams (RFC 5424)', () => {
  it('maps our levels to severities with facility daemon, the code to MSGID, the JSON line to MSG', () => {
    const pri = (level: string) => /^<(\d+)>1 /.exec(syslogDatagram(line({ level, code: 'WDG-CLI-001', msg: 'x' }), 'node1', 42).toString())?.[1];
    expect(['critical', 'error', 'warning', 'info', 'debug'].map(pri)).toEqual(['26', '27', '28', '30', '31']);
    const l = line({ code: 'WDG-SLACK-003', msg: 'dropped' });
    expect(syslogDatagram(l, 'node1', 42).toString()).toBe(`<27>1 2026-03-01T10:00:00.123Z node1 swarm-watchdog 42 WDG-SLACK-003 - ${l.trimEnd()}`);
  });

  it('writes - for a line without code and makes the hostname printable', () => {
    const text = syslogDatagram(line({ level: 'debug', msg: 'trace' }), 'my host', 7).toString();
    expect(text).toMatch(/^<31>1 \S+ my_host swarm-watchdog 7 - - \{/);
  });

  it('cuts a long line to one datagram without breaking a character', () => {
    const text = syslogDatagram(line({ code: 'WDG-CLI-001', msg: 'é'.repeat(10_000) }), 'n', 1);
    expect(text.length).toBeLessThanOrEqual(MAX_DATAGRAM);
    expect(text.toString('utf8')).not.toContain('\uFFFD');
  });

  it('utf8Prefix never cuts inside a character', () => {
    expect(utf8Prefix('aé', 2).toString()).toBe('a');
    expect(utf8Prefix('aé', 3).toString()).toBe('aé');
    expect(utf8Prefix('€€', 4).toString()).toBe('€');
  });
});

describe('GELF datagrams', () => {
  it('has the GELF 1.1 fields and the line fields prefixed with _', () => {
    const gelf = JSON.parse(gelfDatagram(line({ code: 'WDG-SLACK-002', msg: 'retrying', attempt: 2, ok: false, nested: { a: 1 }, id: 'x', 'bad key': 'v', gone: null }), 'node1').toString());
    expect(gelf).toEqual({
      version: '1.1',
      host: 'node1',
      short_message: 'retrying',
      timestamp: 1772359200.123,
      level: 3,
      _code: 'WDG-SLACK-002',
      _service: 'swarm-watchdog',
      _attempt: 2,
      _ok: 'false',
      _nested: '{"a":1}',
      _id_: 'x',
      _bad_key: 'v',
    });
  });

  it('cuts field values to fit one datagram, then drops the extra fields', () => {
    const big = JSON.parse(gelfDatagram(line({ code: 'WDG-CLI-001', msg: 'm', stack: 'x'.repeat(20_000) }), 'n').toString());
    expect(big._truncated).toBe(1);
    expect(big._stack.length).toBeLessThanOrEqual(1001);
    const many = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`f${i}`, 'y'.repeat(1500)]));
    const out = gelfDatagram(line({ code: 'WDG-CLI-001', msg: 'z'.repeat(9000), ...many }), 'n');
    expect(out.length).toBeLessThanOrEqual(MAX_DATAGRAM);
    expect(JSON.parse(out.toString())).toMatchObject({ _code: 'WDG-CLI-001', _truncated: 1 });
  });

  it('ships a line that is not JSON as its message', () => {
    expect(JSON.parse(formatDatagram('gelf', 'plain text\n', 'n').toString())).toMatchObject({ short_message: 'plain text', level: 6 });
  });
});

describe('UdpShipper', () => {
  it('sends one datagram per line to the receiver', async () => {
    const r = await receiver();
    const shipper = new UdpShipper({ protocol: 'gelf', host: '127.0.0.1', port: r.port }, { hostname: 'node1' });
    shipper.ship(line({ code: 'WDG-CLI-001', msg: 'one' }));
    shipper.ship(line({ code: 'WDG-CLI-001', msg: 'two' }));
    expect(JSON.parse(await r.next()).short_message).toBe('one');
    expect(JSON.parse(await r.next()).short_message).toBe('two');
    expect(shipper.dropped).toBe(0);
    shipper.close();
  });

  it('looks the name up once, holding the first lines until it resolves', async () => {
    const r = await receiver();
    let lookups = 0;
    const shipper = new UdpShipper({ protocol: 'syslog', host: 'logs.example', port: r.port }, {
      resolve: async () => {
        lookups++;
        return { address: '127.0.0.1', family: 4 };
      },
    });
    for (let i = 0; i < 5; i++) shipper.ship(line({ code: 'WDG-CLI-001', msg: `m${i}` }));
    for (let i = 0; i < 5; i++) expect(await r.next()).toContain(`"msg":"m${i}"`);
    shipper.ship(line({ msg: 'later' }));
    expect(await r.next()).toContain('later');
    expect(lookups).toBe(1);
    shipper.close();
  });

  it('bounds the lines waiting for the name: the rest are dropped and counted', () => {
    let drops = 0;
    const shipper = new UdpShipper({ protocol: 'syslog', host: 'slow.example', port: 1 }, { maxInFlight: 3, resolve: () => new Promise(() => {}), onDrop: () => drops++ });
    for (let i = 0; i < 10; i++) shipper.ship(line({ msg: 'x' }));
    expect(shipper.dropped).toBe(7);
    shipper.close(); // the waiting ones are lost too
    expect(drops).toBe(10);
    shipper.ship(line({ msg: 'after close' }));
    expect(drops).toBe(10);
  });

  it('drops lines while the name does not resolve and looks it up again only after the retry delay', async () => {
    let now = 0;
    let lookups = 0;
    const failures: string[] = [];
    const shipper = new UdpShipper({ protocol: 'syslog', host: 'nowhere.example', port: 1 }, {
      now: () => now,
      retryLookupMs: 30_000,
      resolve: async () => {
        lookups++;
        throw new Error('ENOTFOUND');
      },
      onLookupFailed: (err) => failures.push(err.message),
    });
    shipper.ship(line({ msg: 'waits, then dropped' }));
    await until(() => failures.length === 1);
    for (let i = 0; i < 100; i++) shipper.ship(line({ msg: 'dropped' }));
    expect(lookups).toBe(1);
    expect(shipper.dropped).toBe(101);
    now = 30_000;
    shipper.ship(line({ msg: 'retries the lookup' }));
    await until(() => failures.length === 2);
    expect(lookups).toBe(2);
    shipper.close();
  });

  it('counts lines as dropped when the receiver is gone (ICMP port unreachable), and never throws', async () => {
    const r = await receiver();
    const port = r.port;
    receivers.pop()!.close();
    const shipper = new UdpShipper({ protocol: 'syslog', host: '127.0.0.1', port });
    for (let i = 0; i < 20; i++) {
      shipper.ship(line({ msg: `m${i}` }));
      await new Promise((res) => setTimeout(res, 5));
    }
    await until(() => shipper.dropped > 0);
    shipper.close();
  });
});

describe('logger with shipping', () => {
  it('ships the redacted line, switched at runtime with shipTo, and counts drops', async () => {
    const r = await receiver();
    const redactor = new Redactor();
    redactor.setSecrets(['s3cret-token-value']);
    const log = createLogger({ destination: sink(), redactor, level: 'debug' });
    let dropped = 0;
    shipTo(log, { protocol: 'gelf', host: '127.0.0.1', port: r.port }, { hostname: 'node1', onDrop: () => dropped++ });
    expect(JSON.parse(await r.next())).toMatchObject({ _code: 'WDG-LOG-002', host: 'node1' });
    log.log('WDG-CONFIG-002', 'bad token s3cret-token-value', { token: 's3cret-token-value' });
    const shipped = await r.next();
    expect(shipped).not.toContain('s3cret');
    expect(JSON.parse(shipped)).toMatchObject({ _code: 'WDG-CONFIG-002', level: 3, _token: '[REDACTED]' });
    log.debug('trace');
    expect(JSON.parse(await r.next())).toMatchObject({ short_message: 'trace', level: 7 });

    shipTo(log, undefined);
    expect(log.control.ship).toBeUndefined();
    log.log('WDG-CONFIG-001', 'not shipped');
    await new Promise((res) => setTimeout(res, 50));
    expect(r.messages).toEqual([]);
    expect(dropped).toBe(0);
  });

  it('a shipper that throws does not break the log', () => {
    const lines: string[] = [];
    const log = createLogger({ destination: new Writable({ write: (c, _e, done) => (lines.push(String(c)), done()) }) });
    log.control.ship = { ship: () => { throw new Error('boom'); }, close() {} };
    log.log('WDG-CONFIG-001', 'still written');
    expect(lines.join('')).toContain('still written');
  });
});
