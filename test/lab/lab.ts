// The real lab: a multi-node Docker Swarm in network namespaces on this machine (scripts/lab/lab.sh).
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Docker from 'dockerode';

export const LAB_SCRIPT = fileURLToPath(new URL('../../scripts/lab/lab.sh', import.meta.url));

/** Debian's docker client (same release as the lab's daemons) unless LAB_DOCKER_CLI says otherwise. */
export const DOCKER_CLI =
  process.env.LAB_DOCKER_CLI ?? (existsSync('/usr/bin/docker') ? '/usr/bin/docker' : 'docker');

export interface LabOptions {
  /** LAB_NAME: 1-5 chars [a-z0-9]; every interface, namespace and directory derives from it. Default wdlab. */
  name?: string;
  /** First three octets of the lab's /24 (e.g. '10.213.7'), or 'auto' for a free 10.213.x. Default 'auto'. */
  subnet?: string;
  /** Default 3. */
  nodes?: number;
  /** node1..nodeM are managers. Default 1. */
  managers?: number;
  /** Tear the lab down by itself once this process is gone (a detached reaper). Default true. */
  reapWithProcess?: boolean;
}

export type NodeRole = 'manager' | 'worker';

export interface LabNode {
  /** Also the node's hostname in the swarm: node1, node2, ... */
  name: string;
  addr: string;
  socketPath: string;
  /** SYSLOG_IDENTIFIER of the node's dockerd lines in the journal: dockerd-<lab>-nodeN. */
  journalId: string;
  role: NodeRole;
  netns: string;
  hostVeth: string;
  pidFile: string;
  dataRoot: string;
  execRoot: string;
}

interface LabEnvJson {
  name: string;
  subnet: string;
  bridge: string;
  bridgeAddr: string;
  stateDir: string;
  nodes: LabNode[];
}

/** One journalctl -o json entry; non-UTF-8 fields come as arrays of byte values. */
export type JournalEntry = Record<string, string | number[] | undefined>;

export class CommandError extends Error {
  constructor(
    message: string,
    readonly exitCode: number | string | null,
    readonly stdout: string,
    readonly stderr: string,
  ) {
    super(message);
    this.name = 'CommandError';
  }
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  input?: string | Buffer;
  timeoutMs?: number;
}

/** Runs a program; resolves with stdout, rejects with a CommandError carrying stderr. */
export function run(file: string, args: string[], opts: RunOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      file,
      args,
      { env: opts.env ?? process.env, maxBuffer: 256 * 1024 * 1024, timeout: opts.timeoutMs ?? 0, encoding: 'utf8' },
      (err, stdout, stderr) => {
        if (!err) return resolve(stdout);
        const code = (err as NodeJS.ErrnoException & { code?: number | string }).code ?? null;
        const how = err.killed ? `killed after ${opts.timeoutMs} ms` : `exit ${code}`;
        reject(
          new CommandError(`${file} ${args.join(' ')} failed (${how}): ${stderr.trim() || stdout.trim()}`, code, stdout, stderr),
        );
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Polls fn until it returns something other than undefined/false and returns that. A throw counts
 * as "not yet"; the last error is named in the timeout message.
 */
export async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs: number,
  intervalMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v as T;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const why = lastError ? ` (last error: ${lastError instanceof Error ? lastError.message : String(lastError)})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}`);
    }
    await sleep(Math.min(intervalMs, Math.max(0, deadline - Date.now())));
  }
}

/** journalctl wants "YYYY-MM-DD HH:MM:SS.fff UTC", not ISO 8601 with T and Z. */
export function journalTime(iso: string | Date): string {
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  if (Number.isNaN(d.getTime())) throw new Error(`lab: journal since '${String(iso)}' is not a date (use an ISO timestamp)`);
  return `${d.toISOString().replace('T', ' ').replace('Z', '')} UTC`;
}

/** A journal field as text (decodes the byte-array form used for non-UTF-8 values). */
export function journalText(value: string | number[] | undefined): string {
  if (value === undefined) return '';
  return typeof value === 'string' ? value : Buffer.from(value).toString('utf8');
}

export class Lab {
  private readonly clients = new Map<string, Docker>();
  private isDown = false;

  private constructor(
    readonly name: string,
    readonly subnet: string,
    readonly bridge: string,
    readonly stateDir: string,
    readonly nodes: LabNode[],
  ) {}

  /** Brings a lab up (cleaning whatever a crashed run of the same name left) and attaches to it. */
  static async up(opts: LabOptions = {}): Promise<Lab> {
    const name = opts.name ?? 'wdlab';
    const args = ['up', '--nodes', String(opts.nodes ?? 3), '--managers', String(opts.managers ?? 1)];
    if (opts.reapWithProcess ?? true) args.push('--owner', String(process.pid));
    await run('bash', [LAB_SCRIPT, ...args], { env: labEnv(name, opts.subnet ?? 'auto'), timeoutMs: 300_000 });
    return Lab.attach(name);
  }

  /** Attaches to a lab that is already up (e.g. one started with `lab.sh up`). */
  static async attach(name = 'wdlab'): Promise<Lab> {
    const out = await run('bash', [LAB_SCRIPT, 'env', '--json'], { env: labEnv(name) });
    const env = JSON.parse(out) as LabEnvJson;
    return new Lab(env.name, env.subnet, env.bridge, env.stateDir, env.nodes);
  }

  get managers(): LabNode[] {
    return this.nodes.filter((n) => n.role === 'manager');
  }

  get workers(): LabNode[] {
    return this.nodes.filter((n) => n.role === 'worker');
  }

  /** 'node2', 2 or a LabNode. */
  node(node: string | number | LabNode): LabNode {
    const name = typeof node === 'number' ? `node${node}` : typeof node === 'string' ? node : node.name;
    const found = this.nodes.find((n) => n.name === name);
    if (!found) throw new Error(`lab ${this.name}: no node '${name}' (has ${this.nodes.map((n) => n.name).join(', ')})`);
    return found;
  }

  /** docker CLI against that node's daemon; resolves with stdout (trailing newline trimmed). */
  async docker(node: string | number | LabNode, args: string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<string> {
    const n = this.node(node);
    try {
      const out = await run(DOCKER_CLI, ['-H', `unix://${n.socketPath}`, ...args], {
        env: dockerEnv(),
        input: opts.input,
        timeoutMs: opts.timeoutMs ?? 120_000,
      });
      return out.trimEnd();
    } catch (err) {
      if (err instanceof CommandError) {
        throw new CommandError(`docker ${args.join(' ')} on ${n.name} failed: ${err.stderr.trim() || err.message}`, err.exitCode, err.stdout, err.stderr);
      }
      throw err;
    }
  }

  /** A dockerode client on that node's socket (cached). */
  dockerode(node: string | number | LabNode): Docker {
    const n = this.node(node);
    let client = this.clients.get(n.name);
    if (!client) {
      client = new Docker({ socketPath: n.socketPath });
      this.clients.set(n.name, client);
    }
    return client;
  }

  /** Partition: the node's host-side veth goes down. */
  cut(node: string | number | LabNode): Promise<void> {
    return this.script(['cut', this.node(node).name]);
  }

  heal(node: string | number | LabNode): Promise<void> {
    return this.script(['heal', this.node(node).name]);
  }

  /** SIGTERM the node's dockerd and wait until it has exited. */
  stopDaemon(node: string | number | LabNode): Promise<void> {
    return this.script(['stop', this.node(node).name]);
  }

  /** Start the node's dockerd again (same data root: it rejoins the swarm) and wait for its socket. */
  startDaemon(node: string | number | LabNode): Promise<void> {
    return this.script(['start', this.node(node).name]);
  }

  /** `lab.sh status`: docker node ls from a reachable manager plus link/daemon state per node. */
  status(): Promise<string> {
    return run('bash', [LAB_SCRIPT, 'status'], { env: labEnv(this.name) });
  }

  waitFor<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs: number, intervalMs = 250): Promise<T> {
    return waitFor(what, fn, timeoutMs, intervalMs);
  }

  /**
   * journalctl -o json entries of one SYSLOG_IDENTIFIER (a node name such as 'node1' maps to its
   * dockerd's journalId), optionally from an ISO timestamp on.
   */
  async journal(identifier: string, sinceIso?: string): Promise<JournalEntry[]> {
    const id = this.nodes.find((n) => n.name === identifier)?.journalId ?? identifier;
    const args = ['-o', 'json', '--no-pager', '--utc', '-t', id];
    if (sinceIso) args.push('--since', journalTime(sinceIso));
    const out = await run('journalctl', args, { timeoutMs: 60_000 });
    return out
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as JournalEntry);
  }

  /** Tears everything down (daemons, shims, mounts, veths, netns, bridge, iptables rule, state). */
  async down(): Promise<void> {
    this.isDown = true;
    this.clients.clear();
    await run('bash', [LAB_SCRIPT, 'down'], { env: labEnv(this.name), timeoutMs: 180_000 });
  }

  /** Same as down(), blocking: for exit and signal handlers. */
  downSync(): void {
    this.isDown = true;
    execFileSync('bash', [LAB_SCRIPT, 'down'], { env: labEnv(this.name), stdio: 'ignore', timeout: 180_000 });
  }

  get wasDown(): boolean {
    return this.isDown;
  }

  private async script(args: string[]): Promise<void> {
    await run('bash', [LAB_SCRIPT, ...args], { env: labEnv(this.name), timeoutMs: 180_000 });
  }
}

function labEnv(name: string, subnet?: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...dockerEnv(), LAB_NAME: name };
  if (subnet !== undefined) env.LAB_SUBNET = subnet;
  else delete env.LAB_SUBNET;
  return env;
}

function dockerEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DOCKER_CLI_HINTS: 'false' };
  delete env.DOCKER_HOST;
  delete env.DOCKER_CONTEXT;
  return env;
}
