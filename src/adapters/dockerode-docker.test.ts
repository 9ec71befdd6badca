// Docker's failures are told apart once, here; the rest of the code sees typed errors only.
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DockerResponseError, DockerTimeoutError, DockerUnavailableError, OutOfSequenceError } from './docker.js';
import { classifyDockerError, DockerApiError, DockerodeClient } from './dockerode-docker.js';

const modemError = (statusCode: number, message: string) => Object.assign(new Error(`(HTTP code ${statusCode}) server error - ${message} `), { statusCode });
const errno = (code: string) => Object.assign(new Error(`connect ${code} /var/run/docker.sock`), { code });

describe('classifyDockerError', () => {
  it('sorts by errno, HTTP status and the out-of-sequence message', () => {
    expect(classifyDockerError(modemError(500, 'rpc error: code = Unknown desc = update out of sequence'), 'service update', '/s', 'web')).toBeInstanceOf(OutOfSequenceError);
    expect(classifyDockerError(errno('ENOENT'), 'info', '/s')).toBeInstanceOf(DockerUnavailableError);
    expect(classifyDockerError(errno('ECONNREFUSED'), 'info', '/s')).toBeInstanceOf(DockerUnavailableError);
    expect(classifyDockerError(modemError(503, 'The swarm does not have a leader.'), 'snapshot', '/s')).toBeInstanceOf(DockerUnavailableError);
    expect(classifyDockerError(errno('ETIMEDOUT'), 'info', '/s')).toBeInstanceOf(DockerTimeoutError);
    const other = classifyDockerError(modemError(404, 'service web not found'), 'service inspect', '/s');
    expect(other).toBeInstanceOf(DockerApiError);
    expect((other as DockerApiError).statusCode).toBe(404);
    expect(other).not.toBeInstanceOf(DockerUnavailableError);
    const unreachable = classifyDockerError(errno('ENOENT'), 'info', '/s') as DockerUnavailableError;
    expect(unreachable.code).toBe('WDG-DOCKER-001');
    expect(unreachable.message).toMatch(/info failed on \/s/);
  });
});

describe('DockerodeClient on a socket', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

  function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
    const socket = join(mkdtempSync(join(tmpdir(), 'wdg-dock-')), 'docker.sock');
    server = createServer(handler);
    return new Promise((r) => server!.listen(socket, () => r(socket)));
  }

  it('a daemon that never answers: DockerTimeoutError within the timeout', async () => {
    const socket = await listen(() => undefined);
    const started = Date.now();
    await expect(new DockerodeClient(socket, 200).snapshot()).rejects.toBeInstanceOf(DockerTimeoutError);
    expect(Date.now() - started).toBeLessThan(5000);
    server!.closeAllConnections();
  });

  it('a reply of another shape: DockerResponseError; a stale version: OutOfSequenceError', async () => {
    const socket = await listen((req, res) => {
      if (req.method === 'POST') {
        res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'rpc error: code = Unknown desc = update out of sequence' }));
      } else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(req.url?.startsWith('/services/') ? { ID: 'x', Spec: { Name: 5 } } : []));
    });
    const docker = new DockerodeClient(socket, 2000);
    await expect(docker.inspectService('x')).rejects.toBeInstanceOf(DockerResponseError);
    await expect(docker.updateService('x', 3, { Name: 'web' })).rejects.toBeInstanceOf(OutOfSequenceError);
    expect(await docker.serviceTasks('x')).toEqual([]);
  });
});
