import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_PEER_PAGE, pullPeer } from './peers.js';

// A peer that answers without end (or declares a huge body) must not fill the acting agent's memory.
describe('pullPeer size cap', () => {
  let server: Server;
  let base = '';
  let streamed = 0;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url?.startsWith('/endless/')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"node":"n2","items":["');
        const chunk = 'x'.repeat(1 << 20);
        const more = () => {
          while (!res.destroyed && res.write(chunk)) streamed += chunk.length;
          if (!res.destroyed) res.once('drain', more);
        };
        res.on('close', () => res.destroy());
        more();
      } else if (req.url?.startsWith('/declared/')) {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(MAX_PEER_PAGE + 1) });
        res.write('{');
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ node: 'n2', items: [], oldest: 1, last: 0 }));
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  it('stops reading past the cap and reports it as the peer\'s error', async () => {
    const endless = await pullPeer(`${base}/endless`, 0, undefined, 20_000);
    expect(endless.page).toBeUndefined();
    expect(endless.error).toMatch(/over the \d+-byte cap/);
    expect(streamed).toBeLessThan(MAX_PEER_PAGE * 3); // it stopped, not at the timeout
    const declared = await pullPeer(`${base}/declared`, 0, undefined, 20_000);
    expect(declared.error).toMatch(/over the \d+-byte cap/);
    expect((await pullPeer(base, 0, undefined, 5000)).page).toEqual({ node: 'n2', items: [], oldest: 1, last: 0 });
  });
});
