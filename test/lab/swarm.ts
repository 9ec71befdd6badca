// Swarm helpers for e2e tests on the lab: services, task spread per node, node states, events.
import { sleep, type Lab, type LabNode } from './lab.js';

export type NodeRef = string | number | LabNode;
/** Hostname (node1, node2, ...) → number of tasks. Every lab node is present, 0 when it has none. */
export type Spread = Record<string, number>;

export interface ServiceOptions {
  /** Default 'web'. */
  name?: string;
  /** Default 6. */
  replicas?: number;
  /** Default 'busybox:lab' (imported on every node by lab.sh up). */
  image?: string;
  /** Default ['sleep', '1000000']. */
  command?: string[];
  /** Extra `docker service create` flags, placed before the image (e.g. ['--log-driver', 'journald']). */
  args?: string[];
  /** Manager to talk to; default the lab's first manager. */
  manager?: NodeRef;
  /** Wait until all replicas run (default true). */
  wait?: boolean;
  timeoutMs?: number;
}

function managerOf(lab: Lab, manager?: NodeRef): LabNode {
  return manager === undefined ? lab.managers[0] : lab.node(manager);
}

/**
 * `docker service create --detach --no-resolve-image --stop-signal KILL --name web --replicas 6
 * [args] busybox:lab sleep 1000000`; returns the service ID once every replica runs.
 */
export async function createService(lab: Lab, opts: ServiceOptions = {}): Promise<string> {
  const name = opts.name ?? 'web';
  const replicas = opts.replicas ?? 6;
  const manager = managerOf(lab, opts.manager);
  const id = await lab.docker(manager, [
    'service', 'create', '--detach', '--no-resolve-image', '--stop-signal', 'KILL',
    '--name', name, '--replicas', String(replicas),
    ...(opts.args ?? []),
    opts.image ?? 'busybox:lab',
    ...(opts.command ?? ['sleep', '1000000']),
  ]);
  if (opts.wait ?? true) {
    await waitForSpread(lab, name, (s) => total(s) === replicas, opts.timeoutMs ?? 60_000, manager);
  }
  return id.trim().split('\n').pop() ?? id;
}

export async function removeService(lab: Lab, name: string, manager?: NodeRef): Promise<void> {
  await lab.docker(managerOf(lab, manager), ['service', 'rm', name]);
}

interface SwarmTask {
  NodeID?: string;
  DesiredState?: string;
  Status?: { State?: string };
}

interface SwarmNode {
  ID: string;
  Description?: { Hostname?: string };
  Status?: { State?: string; Addr?: string };
  Spec?: { Availability?: string; Role?: string };
  ManagerStatus?: { Leader?: boolean; Reachability?: string; Addr?: string };
}

/** Node ID → hostname, from a manager. */
export async function nodeHostnames(lab: Lab, manager?: NodeRef): Promise<Map<string, string>> {
  const nodes = (await lab.dockerode(managerOf(lab, manager)).listNodes()) as SwarmNode[];
  return new Map(nodes.map((n) => [n.ID, n.Description?.Hostname ?? n.ID]));
}

/**
 * Tasks of a service that are running and meant to run (desired state running), per node hostname,
 * as the manager sees them. Tasks of a Down node drop out as soon as the orchestrator replaces them.
 */
export async function runningTasksPerNode(lab: Lab, service: string, manager?: NodeRef): Promise<Spread> {
  const m = managerOf(lab, manager);
  const [tasks, hosts] = await Promise.all([
    lab.dockerode(m).listTasks({ filters: { service: [service] } }) as Promise<SwarmTask[]>,
    nodeHostnames(lab, m),
  ]);
  const spread = emptySpread(lab);
  for (const t of tasks) {
    if (t.DesiredState !== 'running' || t.Status?.State !== 'running' || !t.NodeID) continue;
    const host = hosts.get(t.NodeID) ?? t.NodeID;
    spread[host] = (spread[host] ?? 0) + 1;
  }
  return spread;
}

/** Containers of a service actually running on each node (docker ps on every node whose daemon answers). */
export async function containersPerNode(lab: Lab, service: string): Promise<Spread> {
  const spread = emptySpread(lab);
  await Promise.all(
    lab.nodes.map(async (n) => {
      try {
        const list = await lab.dockerode(n).listContainers({
          filters: { label: [`com.docker.swarm.service.name=${service}`], status: ['running'] },
        });
        spread[n.name] = list.length;
      } catch {
        delete spread[n.name]; // daemon stopped
      }
    }),
  );
  return spread;
}

export function total(spread: Spread): number {
  return Object.values(spread).reduce((a, b) => a + b, 0);
}

/** "node1=3 node2=3 node3=0" */
export function formatSpread(spread: Spread): string {
  return Object.keys(spread)
    .sort()
    .map((k) => `${k}=${spread[k]}`)
    .join(' ');
}

/** Exact match: nodes named in want have that count, every other node 0. */
export function spreadIs(spread: Spread, want: Spread): boolean {
  const keys = new Set([...Object.keys(spread), ...Object.keys(want)]);
  return [...keys].every((k) => (spread[k] ?? 0) === (want[k] ?? 0));
}

/** Waits until the running-task spread matches `want` (exactly) or satisfies it; returns the spread. */
export async function waitForSpread(
  lab: Lab,
  service: string,
  want: Spread | ((spread: Spread) => boolean),
  timeoutMs: number,
  manager?: NodeRef,
): Promise<Spread> {
  const ok = typeof want === 'function' ? want : (s: Spread) => spreadIs(s, want);
  let last: Spread | undefined;
  const what = typeof want === 'function' ? 'the expected task spread' : `spread ${formatSpread(want)}`;
  try {
    return await lab.waitFor(
      `${service}: ${what}`,
      async () => {
        last = await runningTasksPerNode(lab, service, manager);
        return ok(last) ? last : undefined;
      },
      timeoutMs,
      250,
    );
  } catch (err) {
    throw new Error(`${(err as Error).message}; last seen: ${last ? formatSpread(last) : 'nothing'}`);
  }
}

/** Samples a service's running tasks every 250 ms until stopped; `min` is the lowest count seen. */
export function sampleRunning(lab: Lab, service: string): { stop(): Promise<{ min: number; samples: number }> } {
  let min = Infinity;
  let samples = 0;
  let on = true;
  const loop = (async () => {
    while (on) {
      const n = total(await runningTasksPerNode(lab, service).catch(() => ({}) as Spread));
      if (n > 0) {
        min = Math.min(min, n);
        samples++;
      }
      await sleep(250);
    }
  })();
  return { stop: async () => { on = false; await loop; return { min, samples }; } };
}

export interface ListedNode {
  id: string;
  /** ready, down, unknown, disconnected */
  state: string;
  availability: string;
  role: string;
  /** leader, reachable, unreachable; undefined for workers */
  managerStatus?: string;
}

/** Hostname → state, as a manager sees it. */
export async function nodeStates(lab: Lab, manager?: NodeRef): Promise<Record<string, ListedNode>> {
  const nodes = (await lab.dockerode(managerOf(lab, manager)).listNodes()) as SwarmNode[];
  const out: Record<string, ListedNode> = {};
  for (const n of nodes) {
    out[n.Description?.Hostname ?? n.ID] = {
      id: n.ID,
      state: n.Status?.State ?? 'unknown',
      availability: n.Spec?.Availability ?? 'unknown',
      role: n.Spec?.Role ?? 'unknown',
      managerStatus: n.ManagerStatus ? (n.ManagerStatus.Leader ? 'leader' : n.ManagerStatus.Reachability) : undefined,
    };
  }
  return out;
}

export async function waitForNodeState(
  lab: Lab,
  node: NodeRef,
  state: 'ready' | 'down' | 'unknown' | 'disconnected',
  timeoutMs: number,
  manager?: NodeRef,
): Promise<ListedNode> {
  const host = lab.node(node).name;
  return lab.waitFor(
    `${host} ${state}`,
    async () => {
      const s = (await nodeStates(lab, manager))[host];
      return s?.state === state ? s : undefined;
    },
    timeoutMs,
    250,
  );
}

export interface DockerEvent {
  Type: string;
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
  scope?: string;
  time: number;
  timeNano: number;
}

export interface EventWatcher {
  /** Every event received so far, in order. */
  readonly events: DockerEvent[];
  /** First event (already received or still to come) that matches. */
  waitFor(match: (e: DockerEvent) => boolean, timeoutMs: number, what?: string): Promise<DockerEvent>;
  close(): void;
}

/**
 * Streams the events API of one node (e.g. watchEvents(lab, 'node1', { type: ['node'] })).
 * Resolves once the stream is open, so nothing after the call is missed.
 */
export async function watchEvents(lab: Lab, node: NodeRef, filters: Record<string, string[]> = {}): Promise<EventWatcher> {
  const stream = (await lab.dockerode(node).getEvents({ filters })) as NodeJS.ReadableStream & { destroy?: () => void };
  const events: DockerEvent[] = [];
  const waiters = new Set<() => void>();
  let buf = '';
  let ended: Error | undefined;
  stream.on('data', (chunk: Buffer | string) => {
    buf += chunk.toString();
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl).trim();
      buf = buf.slice(nl + 1);
      if (line) events.push(JSON.parse(line) as DockerEvent);
    }
    for (const w of waiters) w();
  });
  const finish = (err?: Error): void => {
    ended = err ?? new Error(`event stream of ${lab.node(node).name} ended`);
    for (const w of waiters) w();
  };
  stream.on('end', () => finish());
  stream.on('error', (err: Error) => finish(err));

  return {
    events,
    waitFor(match, timeoutMs, what = 'a matching event') {
      return new Promise<DockerEvent>((resolve, reject) => {
        const check = (): void => {
          const hit = events.find(match);
          if (hit) done(() => resolve(hit));
          else if (ended) done(() => reject(new Error(`waiting for ${what}: ${ended?.message}`)));
        };
        const timer = setTimeout(
          () => done(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what} (saw ${events.length} events)`))),
          timeoutMs,
        );
        const done = (f: () => void): void => {
          clearTimeout(timer);
          waiters.delete(check);
          f();
        };
        waiters.add(check);
        check();
      });
    },
    close() {
      ended ??= new Error('event watcher closed');
      stream.removeAllListeners('data');
      stream.destroy?.();
    },
  };
}

/** Matches a node event from the events API: type=node, Action=update, state.new=<state>. */
export function isNodeStateEvent(hostname: string, stateNew: string): (e: DockerEvent) => boolean {
  return (e) =>
    e.Type === 'node' && e.Action === 'update' && e.Actor.Attributes.name === hostname && e.Actor.Attributes['state.new'] === stateNew;
}

function emptySpread(lab: Lab): Spread {
  return Object.fromEntries(lab.nodes.map((n) => [n.name, 0]));
}
