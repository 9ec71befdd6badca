import type { Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLog } from '../../test/support/log-capture.js';
import { createLogger } from '../log/logger.js';
import { startHttp, type Route } from './server.js';

/** One raw HTTP/1.1 exchange on a fresh socket: what the server wrote back before it closed. */
function raw(port: number, head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let got = '';
    socket.on('data', (d) => (got += d.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => resolve(got));
    socket.write(`${head}\r\nHost: agent\r\nConnection: close\r\n\r\n`);
  });
}

const statusOf = (answer: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1]);

describe('http server', () => {
  let base = '';
  let port = 0;
  let server: Server;
  let token: string | undefined = 'peer-secret';
  const capture = captureLog();
  const log = createLogger({ destination: capture.destination });
  const lines = () => capture.lines as Array<Record<string, unknown>>;
  const routes: Route[] = [
    { method: 'GET', path: '/health/status', handle: (q) => ({ status: 200, body: { hello: q.get('name') } }) },
    { method: 'GET', path: '/v1/read', handle: () => ({ status: 200, body: { read: true } }) },
    { method: 'POST', path: '/v1/change', handle: (_q, body) => ({ status: 200, body: { got: body } }) },
    { method: 'GET', path: '/v1/boom', handle: () => { throw new Error('kaput at http://hooks.example/secret-path'); } },
  ];
  beforeAll(async () => {
    server = await startHttp({ listen: '127.0.0.1', port: 0, token: () => token, log, routes });
    port = (server.address() as AddressInfo).port;
    base = `http://127.0.0.1:${port}`;
  });
  afterAll(() => server.close());
  const auth = { authorization: 'Bearer peer-secret' };

  it('serves open routes and 404s unknown ones', async () => {
    expect(await (await fetch(`${base}/health/status?name=x`)).json()).toEqual({ hello: 'x' });
    expect((await fetch(`${base}/nope`)).status).toBe(404);
  });

  it('answers odd request targets with a 4xx and keeps serving', async () => {
    for (const target of ['//x:99999/', '//[/', '//%zz/', '//a:b@/', '*', 'http://[/', 'http://x:99999/', '/%', '/v1/read?%zz=%', 'nope']) {
      const status = statusOf(await raw(port, `GET ${target} HTTP/1.1`));
      expect(status, target).toBeGreaterThanOrEqual(400);
      expect(status, target).toBeLessThan(500);
    }
    // absolute-form (a proxy's) is answered by its path
    expect(statusOf(await raw(port, 'GET http://agent/health/status HTTP/1.1'))).toBe(200);
    expect((await fetch(`${base}/health/status`)).status).toBe(200);
  });

  it('puts every route but health and metrics behind the token', async () => {
    expect((await fetch(`${base}/v1/read`)).status).toBe(401);
    expect((await fetch(`${base}/v1/read`, { headers: auth })).status).toBe(200);
    expect(lines().some((l) => l.code === 'WDG-HTTP-002' && l.path === '/v1/read')).toBe(true);
  });

  it('refuses protected routes without the token, accepts them with it (scheme in any case)', async () => {
    const post = (authorization?: string, body = '{"a":1}') =>
      fetch(`${base}/v1/change`, { method: 'POST', body, headers: authorization ? { authorization } : {} });
    expect((await post()).status).toBe(401);
    expect((await post('Bearer wrong')).status).toBe(401);
    expect((await post('Basic peer-secret')).status).toBe(401);
    const ok = await post('Bearer peer-secret');
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ got: { a: 1 } });
    expect((await post('bearer peer-secret')).status).toBe(200);
    expect((await post('BEARER  peer-secret')).status).toBe(200);
    expect((await post('Bearer peer-secret', '{broken')).status).toBe(400);
    token = undefined; // no token configured: closed, not open
    expect((await post('Bearer peer-secret')).status).toBe(401);
    token = 'peer-secret';
  });

  it('answers HEAD like GET without a body, and a wrong method with 405', async () => {
    const get = await raw(port, 'GET /health/status HTTP/1.1');
    const head = await raw(port, 'HEAD /health/status HTTP/1.1');
    expect(statusOf(head)).toBe(200);
    expect(head.split('\r\n\r\n')[1]).toBe('');
    expect(/content-length: (\d+)/i.exec(head)?.[1]).toBe(/content-length: (\d+)/i.exec(get)?.[1]);
    const wrong = await fetch(`${base}/v1/read`, { method: 'DELETE', headers: auth });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET, HEAD');
  });

  it('turns a handler error into a 500 that does not echo the error, and keeps serving', async () => {
    const res = await fetch(`${base}/v1/boom`, { headers: auth });
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain('kaput');
    expect(text).toContain('WDG-HTTP-003');
    expect(lines().find((l) => l.code === 'WDG-HTTP-003')?.msg).toContain('kaput');
    expect((await fetch(`${base}/health/status`)).status).toBe(200);
  });

  it('caps open connections: past the cap a socket is closed at once, and serving goes on', async () => {
    const capped = await startHttp({ listen: '127.0.0.1', port: 0, token: () => token, log, routes, maxConnections: 4 });
    const port = (capped.address() as AddressInfo).port;
    const idle: Socket[] = [];
    const opened = (s: Socket) => new Promise<void>((resolve) => s.once('connect', () => resolve()));
    for (let i = 0; i < 4; i++) {
      const s = connect(port, '127.0.0.1');
      idle.push(s);
      await opened(s);
    }
    await new Promise((r) => setTimeout(r, 50)); // the server has accepted them
    const extra = await raw(port, 'GET /health/status HTTP/1.1').catch(() => '');
    expect(extra).toBe(''); // closed without an answer
    idle.pop()!.destroy();
    await new Promise((r) => setTimeout(r, 50));
    expect(statusOf(await raw(port, 'GET /health/status HTTP/1.1'))).toBe(200);
    for (const s of idle) s.destroy();
    capped.close();
  });
});
