import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from '../log/logger.js';
import { authorized, needsToken } from './access.js';
import { parseTarget } from './request-target.js';

export interface Reply {
  status: number;
  body: unknown;
  /** text/plain when the body is a string (metrics), JSON otherwise. */
  contentType?: string;
}

/** A route; whether it needs the peer token is decided by the path, in one place (access.ts). */
export interface Route {
  method: 'GET' | 'POST';
  path: string;
  handle(query: URLSearchParams, body: unknown): Reply | Promise<Reply>;
}

export interface HttpOptions {
  listen: string;
  port: number;
  /** Read on every request so a reloaded secret applies at once. */
  token: () => string | undefined;
  routes: Route[];
  log: Logger;
  /** Open connections at most (idle keep-alive ones included); more are closed at once. */
  maxConnections?: number;
}

const MAX_BODY = 8 * 1024 * 1024;
export const MAX_CONNECTIONS = 256;

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new HttpError(413, `body too large (at most ${MAX_BODY} bytes)`);
    chunks.push(chunk as Buffer);
  }
  if (!size) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'body is not JSON');
  }
}

function send(req: IncomingMessage, res: ServerResponse, reply: Reply): void {
  if (res.headersSent) return;
  const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
  const type = reply.contentType ?? (typeof reply.body === 'string' ? 'text/plain; charset=utf-8' : 'application/json');
  res.writeHead(reply.status, { 'content-type': type, 'content-length': Buffer.byteLength(text) });
  res.end(req.method === 'HEAD' ? undefined : text); // HEAD: GET's headers, no body
}

async function dispatch(opts: HttpOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const target = parseTarget(req.url);
  if (!target) return send(req, res, { status: 400, body: { error: 'request target is not a path' } });
  const method = req.method === 'HEAD' ? 'GET' : req.method;
  const onPath = opts.routes.filter((r) => r.path === target.path);
  const route = onPath.find((r) => r.method === method);
  if (!onPath.length) return send(req, res, { status: 404, body: { error: `no route ${req.method} ${target.path}` } });
  if (!route) {
    res.setHeader('allow', [...new Set(onPath.flatMap((r) => (r.method === 'GET' ? ['GET', 'HEAD'] : [r.method])))].join(', '));
    return send(req, res, { status: 405, body: { error: `${req.method} is not allowed on ${target.path}` } });
  }
  if (needsToken(target.path) && !authorized(req.headers, opts.token())) {
    opts.log.log('WDG-HTTP-002', 'refused a request without a valid peer token', { path: target.path, from: req.socket.remoteAddress });
    return send(req, res, { status: 401, body: { error: 'a valid peer token is required (Authorization: Bearer <token>)' } });
  }
  const body = route.method === 'POST' ? await readBody(req) : undefined;
  send(req, res, await route.handle(target.query, body));
}

export function startHttp(opts: HttpOptions): Promise<Server> {
  const server = createServer((req, res) => {
    dispatch(opts, req, res).catch((err: unknown) => {
      if (err instanceof HttpError) return send(req, res, { status: err.status, body: { error: err.message } });
      // The detail goes to the (redacted) log only: an error message may carry a URL or a path.
      opts.log.log('WDG-HTTP-003', `request failed: ${(err as Error)?.message ?? String(err)}`, { path: req.url?.slice(0, 200) });
      send(req, res, { status: 500, body: { error: 'internal error (WDG-HTTP-003): the agent log has the details' } });
    }).catch(() => res.destroy()); // the reply itself failed: the connection goes, the agent stays
  });
  server.maxConnections = opts.maxConnections ?? MAX_CONNECTIONS;
  server.headersTimeout = 10_000; // a client that never finishes its headers holds a connection 10 s at most
  server.requestTimeout = 30_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.listen, () => {
      server.off('error', reject);
      opts.log.log('WDG-HTTP-001', `listening on ${opts.listen}:${opts.port}`, { listen: opts.listen, port: opts.port });
      resolve(server);
    });
  });
}
