import { createServer, type IncomingMessage, type Server } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { Logger } from '../log/logger.js';

export interface Reply {
  status: number;
  body: unknown;
  /** text/plain when the body is a string (metrics), JSON otherwise. */
  contentType?: string;
}

export interface Route {
  method: 'GET' | 'POST';
  path: string;
  /** Needs the peer token: every route that changes anything, and peers' evidence. */
  auth?: boolean;
  handle(query: URLSearchParams, body: unknown): Reply | Promise<Reply>;
}

export interface HttpOptions {
  listen: string;
  port: number;
  /** Read on every request so a reloaded secret applies at once. */
  token: () => string | undefined;
  routes: Route[];
  log: Logger;
}

const MAX_BODY = 8 * 1024 * 1024;

function authorized(req: IncomingMessage, token: string | undefined): boolean {
  if (!token) return false; // no token configured: protected routes are closed, not open
  const given = Buffer.from(/^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '');
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw Object.assign(new Error('body too large'), { status: 413 });
    chunks.push(chunk as Buffer);
  }
  if (!size) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw Object.assign(new Error('body is not JSON'), { status: 400 });
  }
}

export function startHttp(opts: HttpOptions): Promise<Server> {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://agent');
    const route = opts.routes.find((r) => r.path === url.pathname && r.method === req.method);
    const send = (reply: Reply) => {
      const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
      res.writeHead(reply.status, { 'content-type': reply.contentType ?? (typeof reply.body === 'string' ? 'text/plain; charset=utf-8' : 'application/json') });
      res.end(text);
    };
    try {
      if (!route) return send({ status: 404, body: { error: `no route ${req.method} ${url.pathname}` } });
      if (route.auth && !authorized(req, opts.token())) {
        opts.log.log('WDG-HTTP-002', 'refused a request without a valid peer token', { path: url.pathname, from: req.socket.remoteAddress });
        return send({ status: 401, body: { error: 'a valid peer token is required (Authorization: Bearer <token>)' } });
      }
      const body = req.method === 'POST' ? await readBody(req) : undefined;
      send(await route.handle(url.searchParams, body));
    } catch (err) {
      const status = (err as { status?: number }).status ?? 500;
      if (status >= 500) opts.log.log('WDG-HTTP-003', `request failed: ${(err as Error).message}`, { path: url.pathname });
      send({ status, body: { error: (err as Error).message } });
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.listen, () => {
      server.off('error', reject);
      opts.log.log('WDG-HTTP-001', `listening on ${opts.listen}:${opts.port}`, { listen: opts.listen, port: opts.port });
      resolve(server);
    });
  });
}
