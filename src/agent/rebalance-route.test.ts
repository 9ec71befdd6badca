import { mkdtempSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FakeClock } from '../../test/support/fake-clock.js';
import type { DockerClient } from '../adapters/docker.js';
import { parseConfig } from '../config/load.js';
import { startHttp } from '../http/server.js';
import { silentLogger } from '../log/logger.js';
import { Health } from '../operate/health.js';
import { Metrics } from '../operate/metrics.js';
import { Duties, dutyRoutes } from './duties.js';

const snapshot = JSON.parse(readFileSync(new URL('../../test/fixtures/snapshots/mixed-states.json', import.meta.url), 'utf8'));

describe('POST /v1/rebalance', () => {
  let server: Server;
  let base = '';
  let duties: Duties;
  const run = vi.fn();
  beforeAll(async () => {
    const config = parseConfig(`stateDir: ${mkdtempSync(join(tmpdir(), 'wdg-rebalance-route-'))}`, 'x.yml', {});
    const docker = { snapshot: async () => snapshot } as unknown as DockerClient;
    duties = new Duties({ config: () => config, docker, clock: new FakeClock(0), log: silentLogger(), metrics: new Metrics(), health: new Health(), incidents: () => [], sessionLostSince: () => undefined });
    vi.spyOn(duties.rebalancer, 'run').mockImplementation(async (...args) => {
      run(...args);
      return { plan: { services: [], hostnames: {}, notFound: [] }, outcomes: [], held: [] } as never;
    });
    server = await startHttp({ listen: '127.0.0.1', port: 0, token: () => 't0ken', routes: dutyRoutes(duties, () => true), log: silentLogger() });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/rebalance`;
  });
  afterAll(() => {
    server.close();
    duties.stop();
  });
  const post = async (body?: string) => {
    const res = await fetch(base, { method: 'POST', headers: { authorization: 'Bearer t0ken' }, body });
    return { status: res.status, body: (await res.json()) as { error?: string; unknown?: string[] } };
  };

  it('answers a bad body with 400 and moves nothing', async () => {
    for (const body of ['{"services":5}', '{"services":"app"}', '{"services":[]}', '{"services":[""]}', '{"services":[1]}', '[]', '"app"', '{"service":["app"]}']) {
      const res = await post(body);
      expect(res.status, body).toBe(400);
      expect(res.body.error, body).toMatch(/^send \{"services"/);
    }
    expect(run).not.toHaveBeenCalled();
  });

  it('answers unknown services with 404 naming them, before moving anything', async () => {
    const res = await post('{"services":["app","nope","gone"]}');
    expect(res).toEqual({ status: 404, body: { error: 'no such service: nope, gone', unknown: ['nope', 'gone'] } });
    expect(run).not.toHaveBeenCalled();
  });

  it('runs for known services, and for every service without a body', async () => {
    expect((await post('{"services":["app","edge","app"]}')).status).toBe(200);
    expect((await post()).status).toBe(200);
    expect((await post('{}')).status).toBe(200);
    expect(run.mock.calls.map((c) => c[1])).toEqual([['app', 'edge'], undefined, undefined]);
  });
});
