// The one auth rule of the agent's HTTP API, so every route (present and future) inherits it:
// everything needs the peer token except what monitoring scrapes without credentials.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** Open to anyone who can reach the port: the health check (Docker HEALTHCHECK) and Prometheus. */
export const OPEN_PATHS: ReadonlySet<string> = new Set(['/health/status', '/metrics']);

export function needsToken(path: string): boolean {
  return !OPEN_PATHS.has(path);
}

/** `Authorization: Bearer <token>`; the scheme is case-insensitive (RFC 7235). No token configured: closed. */
export function authorized(headers: IncomingHttpHeaders, token: string | undefined): boolean {
  if (!token) return false;
  const given = Buffer.from(/^bearer[ \t]+(\S+)[ \t]*$/i.exec(headers.authorization ?? '')?.[1] ?? '');
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}
