// Runs real `watchdog agent` processes for lab nodes, each inside its node's network namespace (so a
// cut node's agent is cut off too), following that node's dockerd lines in the real journal.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { stringify } from 'yaml';
import type { Lab, LabNode } from '../lab/lab.js';
import { waitFor } from '../lab/lab.js';

/** stack.yml's stop_grace_period. */
const STOP_GRACE_MS = 20_000;

export const BIN = new URL('../../dist/cli/bin.js', import.meta.url).pathname;
export const PORT = 9323;
export const TOKEN = 'lab-peer-token-5b2f9e';

export type LogLine = Record<string, unknown> & { code?: string; msg?: string; level?: string; time?: string };

export class AgentProcess {
  readonly lines: LogLine[] = [];
  proc?: ChildProcess;
  exited?: Promise<number | null>;

  constructor(readonly node: LabNode, readonly configFile: string, readonly stateDir: string) {}

  get url(): string {
    return `http://${this.node.addr}:${PORT}`;
  }

  start(): void {
    const proc = spawn('nsenter', [`--net=/var/run/netns/${this.node.netns}`, process.execPath, BIN, 'agent', '--config', this.configFile], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, WATCHDOG_CONFIG: undefined },
    });
    this.proc = proc;
    this.exited = new Promise((resolve) => proc.on('exit', (code) => resolve(code)));
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      try {
        this.lines.push(JSON.parse(line) as LogLine);
      } catch {
        this.lines.push({ msg: line, level: 'text' });
      }
    });
    createInterface({ input: proc.stderr! }).on('line', (line) => this.lines.push({ msg: line, level: 'stderr' }));
  }

  /** Writes what the agent logged next to its config (for a failed run's post-mortem). */
  dump(): string {
    const file = join(this.stateDir, '..', 'agent.log');
    writeFileSync(file, this.lines.map((l) => JSON.stringify(l)).join('\n'));
    return file;
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (!this.proc || this.proc.exitCode !== null) return;
    this.proc.kill(signal);
    // as Docker does after stop_grace_period: a hung agent is killed, and the test says so
    const proc = this.proc;
    const timer = setTimeout(() => {
      console.warn(`agent ${this.node.name} still running ${STOP_GRACE_MS / 1000} s after ${signal}: killed`);
      proc.kill('SIGKILL');
    }, STOP_GRACE_MS);
    await this.exited;
    clearTimeout(timer);
  }

  /** The first log line matching, waiting for it. */
  waitForLine(what: string, match: (l: LogLine) => boolean, timeoutMs: number, from = 0): Promise<LogLine> {
    return waitFor(what, async () => this.lines.slice(from).find(match), timeoutMs, 100);
  }

  /** With the peer token by default: every route but /health/status and /metrics needs it. */
  async get<T = unknown>(path: string, auth = true): Promise<{ status: number; body: T }> {
    const res = await fetch(`${this.url}${path}`, { headers: auth ? { authorization: `Bearer ${TOKEN}` } : {}, signal: AbortSignal.timeout(5000) });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // metrics are text
    }
    return { status: res.status, body: body as T };
  }

  /** Waits until the agent answers HTTP. */
  ready(timeoutMs = 30_000): Promise<unknown> {
    return waitFor(`agent ${this.node.name} answers`, async () => (await this.get('/v1/stats').catch(() => undefined))?.body, timeoutMs, 200);
  }
}

export interface AgentSetup {
  dir: string;
  /** Extra config merged over the defaults (deep merge of plain objects). */
  config?: Record<string, unknown>;
  /** Extra journal matches for this node (e.g. its containers). */
  matches?: (node: LabNode) => string[];
}

function merge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const cur = out[k];
    out[k] = cur && v && typeof cur === 'object' && typeof v === 'object' && !Array.isArray(v) ? merge(cur as Record<string, unknown>, v as Record<string, unknown>) : v;
  }
  return out;
}

/** Writes each node's config and returns (not yet started) agents for all lab nodes. */
export function agentsFor(lab: Lab, setup: AgentSetup): AgentProcess[] {
  mkdirSync(setup.dir, { recursive: true });
  const tokenFile = join(setup.dir, 'peer-token');
  writeFileSync(tokenFile, TOKEN);
  return lab.nodes.map((node) => {
    const stateDir = join(setup.dir, node.name, 'state');
    mkdirSync(stateDir, { recursive: true });
    const base = {
      node: node.name,
      stateDir,
      docker: { socket: node.socketPath },
      journal: { matches: [`SYSLOG_IDENTIFIER=${node.journalId}`, ...(setup.matches?.(node) ?? [])], cursorFlush: '200ms' },
      cluster: { reconcileEvery: '1s' },
      peers: { static: lab.nodes.map((n) => `http://${n.addr}:${PORT}`), tokenFile, pullEvery: '1s' },
      http: { listen: node.addr, port: PORT },
      log: { level: 'info' },
    };
    const file = join(setup.dir, node.name, 'watchdog.yml');
    writeFileSync(file, stringify(merge(base, setup.config ?? {})));
    return new AgentProcess(node, file, stateDir);
  });
}

/** The agent that says it acts (the Raft leader's), if one answers so. */
export async function actingAgent(agents: AgentProcess[]): Promise<AgentProcess | undefined> {
  for (const a of agents) if ((await a.get<{ acting: boolean }>('/v1/stats').catch(() => undefined))?.body.acting) return a;
  return undefined;
}

/** A suite's afterAll: every agent stopped, its log written beside its config (path printed). */
export async function stopAgents(agents: AgentProcess[]): Promise<void> {
  await Promise.all(agents.map((a) => a.stop()));
  for (const a of agents) console.log(`agent log: ${a.dump()}`);
}
