// Many tasks of one service reconnecting to the same backend within a minute looks like a backend
// restart, but is as often a node partition: Swarm re-created the tasks and they all connected anew.
// This detector only says "many reconnected at once"; the correlator decides why.
import type { AppCodeObservation, MassReconnectObservation, MassReconnectOptions } from './types.js';

export const DEFAULT_MASS_RECONNECT: MassReconnectOptions = { minTasks: 5, minPercent: 50, window: 60_000 };

const MAX_KEYS = 500;
const MAX_TASKS_PER_KEY = 5_000;
const MAX_SERVICES = 2_000;

/** Recent reconnects of one service and code. */
interface KeyState {
  service: string;
  code: string;
  /** taskId → latest reconnect time, and its node. */
  tasks: Record<string, { time: number; node: string }>;
  burst?: { start: number; end: number; tasks: number; nodes: string[] };
  last: number;
}

/** What one reconnect did to a burst: `started` it, or made it grow. */
export interface BurstNews {
  burst: MassReconnectObservation;
  started: boolean;
}

export interface MassReconnectState {
  keys: KeyState[];
  taskCounts: Record<string, number>;
}

export class MassReconnectDetector {
  private options: MassReconnectOptions;
  private keys = new Map<string, KeyState>();
  private taskCounts = new Map<string, number>();

  constructor(options: Partial<MassReconnectOptions> = {}) {
    this.options = { ...DEFAULT_MASS_RECONNECT, ...options };
  }

  setOptions(options: Partial<MassReconnectOptions>): void {
    this.options = { ...this.options, ...options };
  }

  /** The number of tasks a service should run (its replicas): enables the percent rule. */
  setTaskCount(service: string, count: number): void {
    this.taskCounts.delete(service);
    if (this.taskCounts.size >= MAX_SERVICES) this.taskCounts.delete(this.taskCounts.keys().next().value!);
    this.taskCounts.set(service, count);
  }

  /** The burst when this reconnect starts one or adds a task to it; otherwise undefined. */
  add(obs: AppCodeObservation): BurstNews | undefined {
    if (!obs.reconnect) return undefined;
    const key = this.key(obs.service, obs.code);
    const known = key.tasks[obs.taskId] !== undefined;
    key.tasks[obs.taskId] = { time: Math.max(obs.time, key.tasks[obs.taskId]?.time ?? obs.time), node: obs.node };
    key.last = Math.max(key.last, obs.time);
    const burst = key.burst && obs.time - key.burst.end <= this.options.window ? key.burst : undefined;
    // outside a burst only a few tasks are in the window, so dropping old ones each time is cheap
    if (!burst || Object.keys(key.tasks).length > MAX_TASKS_PER_KEY) this.prune(key, key.last - this.options.window);
    if (burst) {
      burst.end = Math.max(burst.end, obs.time);
      burst.start = Math.min(burst.start, obs.time);
      if (!burst.nodes.includes(obs.node) && burst.nodes.length < 100) burst.nodes.push(obs.node);
      if (known) return undefined; // the same task again: not more evidence
      burst.tasks++;
      return { burst: this.report(key, burst), started: false };
    }
    const recent = Object.values(key.tasks);
    if (!this.isMass(obs.service, recent.length)) return undefined;
    const times = recent.map((t) => t.time);
    key.burst = {
      start: Math.min(...times),
      end: Math.max(...times),
      tasks: recent.length,
      nodes: [...new Set(recent.map((t) => t.node))].slice(0, 100),
    };
    return { burst: this.report(key, key.burst), started: true };
  }

  toState(): MassReconnectState {
    return structuredClone({ keys: [...this.keys.values()], taskCounts: Object.fromEntries(this.taskCounts) });
  }

  static fromState(state: MassReconnectState, options: Partial<MassReconnectOptions> = {}): MassReconnectDetector {
    const d = new MassReconnectDetector(options);
    for (const k of structuredClone(state.keys)) d.keys.set(`${k.service}\u0000${k.code}`, k);
    for (const [s, n] of Object.entries(state.taskCounts)) d.taskCounts.set(s, n);
    return d;
  }

  private isMass(service: string, tasks: number): boolean {
    if (tasks >= this.options.minTasks) return true;
    const total = this.taskCounts.get(service);
    // one task reconnecting is never "mass", whatever the share
    return tasks >= 2 && total !== undefined && total > 0 && (tasks * 100) / total >= this.options.minPercent;
  }

  private key(service: string, code: string): KeyState {
    const id = `${service}\u0000${code}`;
    let key = this.keys.get(id);
    if (!key) {
      if (this.keys.size >= MAX_KEYS) this.evictOldestKey();
      key = { service, code, tasks: {}, last: -Infinity };
      this.keys.set(id, key);
    }
    return key;
  }

  private prune(key: KeyState, before: number): void {
    const entries = Object.entries(key.tasks).filter(([, t]) => t.time >= before);
    // past the cap, keep the most recent: the count saturates instead of memory growing
    if (entries.length > MAX_TASKS_PER_KEY) entries.sort((a, b) => b[1].time - a[1].time).splice(MAX_TASKS_PER_KEY / 2);
    key.tasks = Object.fromEntries(entries);
  }

  private evictOldestKey(): void {
    let oldest: [string, KeyState] | undefined;
    for (const e of this.keys) if (!oldest || e[1].last < oldest[1].last) oldest = e;
    if (oldest) this.keys.delete(oldest[0]);
  }

  private report(key: KeyState, b: NonNullable<KeyState['burst']>): MassReconnectObservation {
    return { type: 'mass-reconnect', time: b.start, end: b.end, service: key.service, code: key.code, tasks: b.tasks, nodes: [...b.nodes] };
  }
}
