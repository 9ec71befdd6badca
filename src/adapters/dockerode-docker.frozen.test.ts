// A frozen daemon (SIGSTOP) accepts connections and never answers: every call, the opening of a
// stream included, must give up within docker.timeout.
import { mkdtempSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UnavailableError } from '../errors.js';
import { DockerTimeoutError } from './docker.js';
import { DockerodeClient } from './dockerode-docker.js';

describe('DockerodeClient against a daemon that never answers', () => {
  let server: Server | undefined;
  const sockets: Socket[] = [];
  afterEach(() => {
    for (const s of sockets) s.destroy();
    server?.close();
  });

  const frozen = async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'wdg-frozen-')), 'docker.sock');
    server = createServer((s) => sockets.push(s)); // accepts, reads nothing, answers nothing
    await new Promise<void>((r) => server!.listen(path, r));
    return new DockerodeClient(path, 300);
  };

  it('opening the events stream times out within docker.timeout', async () => {
    const docker = await frozen();
    const t0 = Date.now();
    await expect(docker.events(0, {}, () => undefined, () => undefined)).rejects.toThrow(UnavailableError);
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('opening a container log stream and a plain call time out too', async () => {
    const docker = await frozen();
    await expect(docker.followLogs('c1', 0, () => undefined, () => undefined)).rejects.toThrow(/no answer within 300 ms/);
    await expect(docker.localNode()).rejects.toThrow(DockerTimeoutError);
    await expect(docker.localNode()).rejects.toThrow(/info failed on .*: no answer within 300 ms/);
  });
});
