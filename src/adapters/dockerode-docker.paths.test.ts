import { createServer, type IncomingMessage, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerodeClient } from './dockerode-docker.js';

// Docker 29.0–29.2 refuse clients below API 1.44: the agent must never pin an old version in its
// request paths. It sends unversioned paths, which every engine serves at its own current version.
const seen: string[] = [];
let server: Server;
let dir: string;

function reply(req: IncomingMessage): unknown {
  const path = (req.url ?? '').split('?')[0];
  if (path.endsWith('/info')) return { Name: 'node1', Swarm: { NodeID: 'n1', ControlAvailable: true } };
  if (path.includes('/nodes/')) return { ID: 'n1', ManagerStatus: { Leader: true } };
  if (path.endsWith('/nodes') || path.endsWith('/services') || path.endsWith('/tasks') || path.endsWith('/containers/json')) return [];
  if (path.includes('/services/') && req.method === 'GET') return { ID: 's1', Version: { Index: 3 }, Spec: {} };
  if (path.endsWith('/_ping')) return 'OK';
  return {};
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wd-api-'));
  server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    req.resume();
    req.on('end', () => {
      const body = reply(req);
      res.writeHead(200, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json' });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(join(dir, 'docker.sock'), resolve));
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

describe('the Docker adapter on the wire', () => {
  it('sends unversioned request paths for every call it makes (no API version pinned)', async () => {
    const docker = new DockerodeClient(join(dir, 'docker.sock'), 5_000);
    await docker.ping();
    await docker.localNode();
    await docker.snapshot();
    await docker.inspectService('s1');
    await docker.serviceTasks('s1');
    await docker.updateService('s1', 3, { Name: 'web' });
    await docker.taskContainers();
    const paths = seen.map((line) => line.split(' ')[1].split('?')[0]);
    expect(paths).toEqual(
      expect.arrayContaining(['/_ping', '/info', '/nodes/n1', '/nodes', '/services', '/tasks', '/services/s1', '/services/s1/update', '/containers/json']),
    );
    for (const path of paths) expect(path, `request path ${path}`).not.toMatch(/^\/v\d/);
  });
});
