import type { Route } from '../http/server.js';
import { incidentToJson } from '../correlate/incident-json.js';
import type { Logger } from '../log/logger.js';
import type { Health } from '../operate/health.js';
import type { Metrics } from '../operate/metrics.js';
import type { Agent } from './agent.js';

export interface RouteDeps {
  agent: Agent;
  health: Health;
  metrics: Metrics;
  log: Logger;
  /** Extra routes from other parts (summary, rebalance). */
  extra?: Route[];
}

export function agentRoutes({ agent, health, metrics, log, extra = [] }: RouteDeps): Route[] {
  return [
    { method: 'GET', path: '/health/status', handle: () => ({ status: health.ok() ? 200 : 503, body: health.report() }) },
    { method: 'GET', path: '/metrics', handle: async () => ({ status: 200, body: await metrics.text(), contentType: metrics.registry.contentType }) },
    { method: 'GET', path: '/v1/incidents', handle: () => ({ status: 200, body: { incidents: agent.incidents().map(incidentToJson) } }) },
    {
      method: 'GET',
      path: '/v1/stats',
      handle: () => ({ status: 200, body: { node: agent.local?.hostname, acting: agent.acting, entriesHandled: agent.handled, firstCursor: agent.firstCursor, cursor: agent.cursor, debug: log.control.level === 'debug' } }),
    },
    {
      method: 'GET',
      path: '/v1/evidence',
      handle: (q) => ({ status: 200, body: agent.evidenceAfter(Number(q.get('after') ?? 0) || 0) }),
    },
    {
      method: 'POST',
      path: '/v1/debug',
      handle: (_q, body) => {
        const on = (body as { on?: unknown } | undefined)?.on;
        if (typeof on !== 'boolean') return { status: 400, body: { error: 'send {"on": true} or {"on": false}' } };
        setDebug(log, on, 'http');
        return { status: 200, body: { debug: on } };
      },
    },
    ...extra,
  ];
}

/** Debug on demand (SIGUSR2 or POST /v1/debug); the configured level comes back when switched off. */
export function setDebug(log: Logger, on: boolean, via: string, configured: Logger['control']['level'] = 'info'): void {
  log.control.level = on ? 'debug' : configured;
  log.log('WDG-OPS-001', `debug logging switched ${on ? 'on' : 'off'} (${via})`, { debug: on, via });
}
