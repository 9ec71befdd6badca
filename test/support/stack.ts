// The shipped image and stack.yml on a lab: build the image (scripts/image/build.sh, on a lab node's
// daemon), load it on every node, `docker stack deploy` the unchanged stack.yml with the lab's values
// (config/lab-stack.env), and talk to the agents inside their containers (no port is published).
import { mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DOCKER_CLI, run, waitFor, type Lab, type LabNode } from '../lab/lab.js';
import type { LogLine } from './agents.js';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const BUILD_SCRIPT = `${REPO}scripts/image/build.sh`;
export const LOAD_SCRIPT = `${REPO}scripts/image/load-into-lab.sh`;
export const STACK_FILE = `${REPO}stack.yml`;
export const LAB_STACK_ENV = `${REPO}config/lab-stack.env`;

export interface BuiltImage {
  image: string;
  id: string;
  tar: string;
  size: number;
  ms: number;
}

/** scripts/image/build.sh against that node's daemon (a cached tar for unchanged inputs is reused). */
export async function buildImage(lab: Lab, node: string | LabNode = lab.managers[0]): Promise<BuiltImage> {
  const started = Date.now();
  const out = await run('bash', [BUILD_SCRIPT, '--docker-host', `unix://${lab.node(node).socketPath}`], { timeoutMs: 900_000 });
  const kv = Object.fromEntries(out.split('\n').filter((l) => /^[A-Z_]+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  if (!kv.IMAGE || !kv.IMAGE_TAR) throw new Error(`build.sh printed no IMAGE/IMAGE_TAR: ${out}`);
  return { image: kv.IMAGE, id: kv.IMAGE_ID, tar: kv.IMAGE_TAR, size: Number(kv.IMAGE_SIZE), ms: Date.now() - started };
}

/** scripts/image/load-into-lab.sh: `docker load` on every node that does not have the image yet. */
export async function loadImage(lab: Lab, tar: string): Promise<void> {
  await run('bash', [LOAD_SCRIPT, tar], { env: { ...process.env, LAB_NAME: lab.name }, timeoutMs: 300_000 });
}

/** The host directory bind-mounted as a node's state directory (config/lab-stack.env). */
export function stateDirOf(lab: Lab, node: string | LabNode): string {
  return `/var/lib/swarm-watchdog-lab/${lab.name}/agent-state/${lab.node(node).name}`;
}

export interface DeployOptions {
  image: string;
  webhookFile: string;
  tokenFile: string;
  /** Default 'watchdog': the service is then watchdog_agent. */
  stack?: string;
  /** Extra deploy-time variables (e.g. WATCHDOG_LOG_LEVEL). */
  env?: Record<string, string>;
}

/**
 * `docker stack deploy --resolve-image never -c stack.yml <stack>` from the first manager, with
 * config/lab-stack.env sourced (LAB_NAME set) and the image and secret files given. Swarm does not
 * create bind-mount sources: the per-node state directories are made first.
 */
export async function deployStack(lab: Lab, opts: DeployOptions): Promise<string> {
  for (const n of lab.nodes) mkdirSync(stateDirOf(lab, n), { recursive: true });
  const stack = opts.stack ?? 'watchdog';
  const script = 'set -a; . "$1"; set +a; exec "$2" -H "$3" stack deploy --resolve-image never -c "$4" "$5"';
  return run(
    'bash',
    ['-c', script, 'deploy', LAB_STACK_ENV, DOCKER_CLI, `unix://${lab.managers[0].socketPath}`, STACK_FILE, stack],
    {
      env: {
        ...process.env,
        DOCKER_CLI_HINTS: 'false',
        LAB_NAME: lab.name,
        WATCHDOG_IMAGE: opts.image,
        WATCHDOG_WEBHOOK_SECRET_FILE: opts.webhookFile,
        WATCHDOG_PEER_TOKEN_SECRET_FILE: opts.tokenFile,
        ...opts.env,
      },
      timeoutMs: 120_000,
    },
  );
}

export interface AgentContainer {
  id: string;
  node: LabNode;
}

/** The running container of the service's task on that node (asked from the node's own daemon). */
export async function agentContainer(lab: Lab, node: string | LabNode, service = 'watchdog_agent'): Promise<AgentContainer | undefined> {
  const list = await lab.dockerode(node).listContainers({ filters: { label: [`com.docker.swarm.service.name=${service}`], status: ['running'] } });
  return list.length === 1 ? { id: list[0].Id, node: lab.node(node) } : undefined;
}

export function waitForAgentContainer(lab: Lab, node: string | LabNode, timeoutMs: number, not?: string, service = 'watchdog_agent'): Promise<AgentContainer> {
  return waitFor(`${lab.node(node).name}: a running ${service} container${not ? ` other than ${not.slice(0, 12)}` : ''}`, async () => {
    const c = await agentContainer(lab, node, service);
    return c && c.id !== not ? c : undefined;
  }, timeoutMs, 250);
}

/**
 * GET on the agent's HTTP API from inside its container (node's fetch; the port is on the overlay
 * only). The token (by default: every route but /health/status and /metrics needs it) is read from
 * the container's own secret file.
 */
export async function agentGet<T = unknown>(lab: Lab, c: AgentContainer, path: string, auth = true): Promise<{ status: number; body: T }> {
  const js = `const h={};if(${auth})h.authorization='Bearer '+require('fs').readFileSync('/run/secrets/watchdog_peer_token','utf8').trim();
fetch('http://127.0.0.1:'+(process.env.WATCHDOG_HTTP_PORT||9323)+${JSON.stringify(path)},{headers:h,signal:AbortSignal.timeout(5000)})
.then(async r=>process.stdout.write(JSON.stringify({status:r.status,text:await r.text()})),e=>{process.stderr.write(String(e));process.exit(1)})`;
  const out = await lab.docker(c.node, ['exec', c.id, 'node', '-e', js], { timeoutMs: 20_000 });
  const { status, text } = JSON.parse(out) as { status: number; text: string };
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // metrics are text
  }
  return { status, body: body as T };
}

/** The container's output, stdout and stderr (the entrypoint's lines), as it is kept by the node. */
export async function containerText(lab: Lab, node: string | LabNode, id: string): Promise<string> {
  const res = await lab.dockerode(node).getContainer(id).logs({ stdout: true, stderr: true, follow: false });
  return demux(res as unknown as Buffer);
}

/** The container's JSON log lines; other lines as { msg, level: 'text' }. */
export async function containerLines(lab: Lab, node: string | LabNode, id: string): Promise<LogLine[]> {
  return (await containerText(lab, node, id))
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      try {
        return JSON.parse(l) as LogLine;
      } catch {
        return { msg: l, level: 'text' };
      }
    });
}

/** Docker's multiplexed log stream (8-byte frame headers) to text. */
function demux(buf: Buffer): string {
  let out = '';
  let i = 0;
  while (i + 8 <= buf.length) {
    const len = buf.readUInt32BE(i + 4);
    out += buf.subarray(i + 8, i + 8 + len).toString('utf8');
    i += 8 + len;
  }
  return out;
}

export interface ContainerTimes {
  startedAt: number;
  finishedAt: number | undefined;
  exitCode: number;
}

export async function containerTimes(lab: Lab, node: string | LabNode, id: string): Promise<ContainerTimes> {
  const info = await lab.dockerode(node).getContainer(id).inspect();
  const finished = Date.parse(info.State.FinishedAt);
  return { startedAt: Date.parse(info.State.StartedAt), finishedAt: finished > 0 ? finished : undefined, exitCode: info.State.ExitCode };
}

/** The agent's saved state in the node's host state directory. */
export function savedState(lab: Lab, node: string | LabNode): { cursor?: string; firstCursor?: string; handled: number } {
  return JSON.parse(readFileSync(`${stateDirOf(lab, node)}/agent-state.json`, 'utf8'));
}
