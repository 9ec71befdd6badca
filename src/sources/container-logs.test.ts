import { describe, expect, it } from 'vitest';
import type { DockerClient, TaskContainer } from '../adapters/docker.js';
import { silentLogger } from '../log/logger.js';
import { ContainerLogs, type ContainerLine } from './container-logs.js';

type Follow = { id: string; since: number; onLine: (t: number, l: string) => void; onEnd: () => void; stopped: boolean };

function fakeDocker(containers: TaskContainer[]) {
  const follows: Follow[] = [];
  const docker = {
    taskContainers: async () => containers,
    followLogs: async (id: string, since: number, onLine: Follow['onLine'], onEnd: Follow['onEnd']) => {
      const f: Follow = { id, since, onLine, onEnd, stopped: false };
      follows.push(f);
      return { stop: () => { f.stopped = true; } };
    },
  } as unknown as DockerClient;
  return { docker, follows, containers };
}

const c = (id: string, logDriver = 'json-file'): TaskContainer => ({ id, service: 'api', taskId: `task-${id}`, logDriver });

describe('container logs through the Docker API', () => {
  it('follows json-file and local containers only, from the agent start', async () => {
    const { docker, follows } = fakeDocker([c('a'), c('b', 'journald'), c('d', 'local')]);
    const logs = new ContainerLogs(docker, silentLogger(), () => {}, {}, 5000);
    await logs.sync();
    expect(follows.map((f) => [f.id, f.since])).toEqual([['a', 5], ['d', 5]]);
  });

  it('resumes strictly after the last line seen, after a broken stream and across restarts', async () => {
    const seen: ContainerLine[] = [];
    const { docker, follows } = fakeDocker([c('a')]);
    const logs = new ContainerLogs(docker, silentLogger(), (l) => seen.push(l), {}, 0);
    await logs.sync();
    follows[0].onLine(1000, 'one');
    follows[0].onLine(2000, 'two');
    follows[0].onEnd();
    await logs.sync();
    expect(follows[1].since).toBeCloseTo(2.000001, 6);
    follows[1].onLine(2000, 'two'); // the API's since is inclusive at its precision: drop the repeat
    follows[1].onLine(3000, 'three');
    const restarted = new ContainerLogs(docker, silentLogger(), (l) => seen.push(l), { ...logs.positions }, 0);
    await restarted.sync();
    expect(follows[2].since).toBeCloseTo(3.000001, 6);
    expect(seen.map((l) => l.line)).toEqual(['one', 'two', 'three']);
  });

  it('stops following containers that are gone and forgets their position', async () => {
    const { docker, follows, containers } = fakeDocker([c('a'), c('b')]);
    const logs = new ContainerLogs(docker, silentLogger(), () => {}, {}, 0);
    await logs.sync();
    follows[0].onLine(10, 'x');
    containers.splice(0, 1);
    await logs.sync();
    expect(follows[0].stopped).toBe(true);
    expect(Object.keys(logs.positions)).toEqual([]);
  });
});

describe('the watchdog itself', () => {
  it('does not read its own containers as application output', async () => {
    const { docker, follows } = fakeDocker([c('a'), { id: 'self', service: 'watchdog_agent', taskId: 't', logDriver: 'json-file' }]);
    await new ContainerLogs(docker, silentLogger(), () => {}, {}, 0, 'watchdog_agent').sync();
    expect(follows.map((f) => f.id)).toEqual(['a']);
  });
});
