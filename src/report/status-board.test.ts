import { describe, expect, it } from 'vitest';
import { createLogger } from '../log/logger.js';
import { startHttp } from '../http/server.js';
import { captureLog } from '../../test/support/log-capture.js';
import { atSecond, partitionIncident } from './incident.fixture.js';
import { StatusBoard, statusRoute } from './status-board.js';

const source = { node: () => 'node1', acting: () => true, incidents: () => [partitionIncident()], now: () => atSecond(100) };

describe('status board and GET /', () => {
  it('counts our codes and the applications\' in the grid, and keeps alerts and rebalance steps for the timeline', () => {
    const board = new StatusBoard();
    board.logged('WDG-SLACK-001', 'alert for inc-1 delivered', atSecond(13));
    board.logged('WDG-JOURNAL-001', 'journalctl started', atSecond(2));
    board.observed({ type: 'app-code', time: atSecond(21), node: 'node1', service: 'api', taskId: 't1', code: 'API-REDIS-001', reconnect: true });
    board.observed({ type: 'node-name', nodeId: 'x', node: 'node1' });
    const grid = board.codes.grid(atSecond(100));
    expect(grid.rows.map((r) => [r.code, r.total])).toEqual([['API-REDIS-001', 1], ['WDG-JOURNAL-001', 1], ['WDG-SLACK-001', 1]]);
    const html = board.page(source, null);
    expect(html).toMatch(/data-node="watchdog"[^>]*data-track="alert"[^>]*data-detail="[^"]*alert for inc-1 delivered/);
    expect(html).not.toMatch(/data-detail="[^"]*journalctl started/);
    expect(html).toContain('only managers can read the cluster'); // no snapshot yet
  });

  it('serves the page as HTML over the agent\'s HTTP server, with the peer token like every read, ?incident= picking the incident', async () => {
    const out = captureLog();
    const log = createLogger({ destination: out.destination });
    const board = new StatusBoard();
    const server = await startHttp({ listen: '127.0.0.1', port: 0, token: () => 'page-token', routes: [statusRoute(board, source)], log });
    try {
      const { port } = server.address() as { port: number };
      expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(401);
      const res = await fetch(`http://127.0.0.1:${port}/?incident=inc-1`, { headers: { authorization: 'Bearer page-token' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await res.text()).toContain('data-incident="inc-1"');
    } finally {
      server.close();
    }
  });
});
