import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../log/logger.js';
import { startHttp } from './server.js';

describe('http server', () => {
  let base = '';
  let close = () => {};
  let token: string | undefined = 'peer-secret';
  beforeAll(async () => {
    const server = await startHttp({
      listen: '127.0.0.1',
      port: 0,
      token: () => token,
      log: silentLogger(),
      routes: [
        { method: 'GET', path: '/open', handle: (q) => ({ status: 200, body: { hello: q.get('name') } }) },
        { method: 'POST', path: '/change', auth: true, handle: (_q, body) => ({ status: 200, body: { got: body } }) },
        { method: 'GET', path: '/boom', handle: () => { throw new Error('kaput'); } },
      ],
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  afterAll(() => close());

  it('serves open routes and 404s unknown ones', async () => {
    expect(await (await fetch(`${base}/open?name=x`)).json()).toEqual({ hello: 'x' });
    expect((await fetch(`${base}/nope`)).status).toBe(404);
  });

  it('refuses protected routes without the token, accepts them with it', async () => {
    const post = (auth?: string, body = '{"a":1}') =>
      fetch(`${base}/change`, { method: 'POST', body, headers: auth ? { authorization: auth } : {} });
    expect((await post()).status).toBe(401);
    expect((await post('Bearer wrong')).status).toBe(401);
    const ok = await post('Bearer peer-secret');
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ got: { a: 1 } });
    expect((await post('Bearer peer-secret', '{broken')).status).toBe(400);
    token = undefined; // no token configured: closed, not open
    expect((await post('Bearer peer-secret')).status).toBe(401);
    token = 'peer-secret';
  });

  it('turns a handler error into a 500 and keeps serving', async () => {
    expect((await fetch(`${base}/boom`)).status).toBe(500);
    expect((await fetch(`${base}/open`)).status).toBe(200);
  });
});
