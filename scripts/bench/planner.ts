// Planner benchmark: synthetic clusters of 100 and 1,000 nodes with 5,000 services and 50,000
// tasks (constraints, labels, spread preferences, reservations, some services thrown off balance
// by a partition). Each size runs in its own child process (node --expose-gc) so that its peak RSS
// is its own. Goal at the largest size: under 1 s and 300 MiB.
//   npx tsx scripts/bench/planner.ts
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { planRebalance } from '../../src/rebalance/planner.js';
import { apiNode, apiService, apiTask, type NodeDesc, type ServiceDesc } from '../../src/rebalance/snapshot-builder.js';
import type { ApiTask, ClusterSnapshot } from '../../src/rebalance/snapshot.js';
import { rng } from './daemon-lines.js';

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  goal?: string;
}

const SERVICES = 5_000;
const TASKS = 50_000;
const GOAL_MS = 1_000;
const GOAL_MIB = 300;

const random = rng; // the same deterministic PRNG, so every run plans the same cluster

export function syntheticSnapshot(nodeCount: number, seed = 1): ClusterSnapshot {
  const rnd = random(seed);
  const pick = <T>(items: T[]): T => items[Math.floor(rnd() * items.length)]!;
  const zones = ['a', 'b', 'c', 'd', 'e'];
  const nodes: NodeDesc[] = Array.from({ length: nodeCount }, (_, i): NodeDesc => ({
    hostname: `node${String(i + 1).padStart(4, '0')}`,
    role: i < 3 ? 'manager' : 'worker',
    labels: { zone: zones[i % zones.length]!, tier: pick(['app', 'app', 'db', 'edge']), ...(i % 7 ? { rack: `r${i % 20}` } : {}) },
    engineLabels: i % 3 ? { storage: 'ssd' } : ({} as Record<string, string>),
    availability: i % 97 === 5 ? 'drain' : i % 89 === 7 ? 'pause' : 'active',
    state: i % 101 === 9 ? 'down' : 'ready',
    cpus: pick([16, 32, 64]),
    memoryGiB: pick([64, 128, 256]),
  }));
  const usable = (n: NodeDesc) => n.state === 'ready' && n.availability !== 'drain';
  const services: ServiceDesc[] = [];
  const tasks: ApiTask[] = [];
  for (let s = 0; s < SERVICES; s++) {
    const d: ServiceDesc = {
      name: `svc${String(s).padStart(4, '0')}`,
      replicas: 2 + Math.floor(rnd() * 13),
      ...(rnd() < 0.3 ? { constraints: [pick(['node.labels.tier==app', 'node.labels.zone!=e', 'node.role==worker', 'engine.labels.storage==ssd'])] } : {}),
      ...(rnd() < 0.2 ? { spread: rnd() < 0.5 ? ['node.labels.zone'] : ['node.labels.zone', 'node.labels.rack'] } : {}),
      ...(rnd() < 0.1 ? { maxReplicas: 2 } : {}),
      ...(rnd() < 0.4 ? { cpus: pick([0.1, 0.25, 0.5]), memoryMiB: pick([64, 128, 256]) } : {}),
      ...(rnd() < 0.03 ? { mode: 'global' as const } : {}),
      ...(rnd() < 0.02 ? { updateState: 'updating' } : {}),
    };
    services.push(d);
    if (d.mode === 'global') continue;
    const homes = nodes.filter(usable).filter((n) =>
      !d.constraints || (d.constraints[0] === 'node.labels.tier==app' ? n.labels!.tier === 'app'
        : d.constraints[0] === 'node.labels.zone!=e' ? n.labels!.zone !== 'e'
        : d.constraints[0] === 'node.role==worker' ? n.role === 'worker'
        : n.engineLabels!.storage === 'ssd'));
    // One in ten services is off balance: a partitioned node's tasks went to a few others.
    const offBalance = rnd() < 0.1;
    const start = Math.floor(rnd() * homes.length);
    for (let slot = 1; slot <= d.replicas!; slot++) {
      const at = offBalance ? (start + (slot % 3)) % homes.length : (start + slot) % homes.length;
      tasks.push(apiTask(d, homes[at]!.hostname, slot));
    }
  }
  // History (tasks shut down earlier) makes up the rest of the 50,000.
  for (let i = 0; tasks.length < TASKS; i++) {
    const d = services[i % services.length]!;
    tasks.push(apiTask(d, pick(nodes).hostname, 1 + (i % 5), 'shutdown', 'shutdown'));
  }
  return { nodes: nodes.map(apiNode), services: services.map(apiService), tasks };
}

interface ChildResult {
  nodes: number;
  services: number;
  tasks: number;
  ms: number;
  peakRssMiB: number;
  rssDeltaMiB: number;
  heapDeltaMiB: number;
  moved: number;
}

const MiB = 1024 * 1024;

/** In the child: build the snapshot (not timed), then plan it once to warm up and once measured. */
function runChild(nodeCount: number): ChildResult {
  const snapshot = syntheticSnapshot(nodeCount);
  // Warm up the JIT on a small cluster, not the measured one: a second pass would hide first-run cost.
  planRebalance(syntheticSnapshot(20, 2));
  global.gc?.();
  const before = process.memoryUsage();
  const t0 = performance.now();
  const plan = planRebalance(snapshot);
  const ms = performance.now() - t0;
  const after = process.memoryUsage();
  return {
    nodes: snapshot.nodes.length,
    services: snapshot.services.length,
    tasks: snapshot.tasks.length,
    ms,
    // maxRSS covers the whole child, the snapshot included: the honest number for a CLI run.
    peakRssMiB: (process.resourceUsage().maxRSS * 1024) / MiB,
    rssDeltaMiB: (after.rss - before.rss) / MiB,
    heapDeltaMiB: (after.heapUsed - before.heapUsed) / MiB,
    moved: plan.services.filter((s) => s.skipped === null).length,
  };
}

function spawnChild(nodeCount: number): ChildResult {
  const self = fileURLToPath(import.meta.url);
  // From the repository root, where `--import tsx` resolves.
  const out = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', self, '--child', String(nodeCount)], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    encoding: 'utf8',
    maxBuffer: 16 * MiB,
  });
  const line = out.stdout.trim().split('\n').at(-1) ?? '';
  if (out.status !== 0 || !line.startsWith('{')) {
    throw new Error(`bench planner: child for ${nodeCount} nodes failed (exit ${out.status}): ${out.stderr.slice(-2000)}`);
  }
  return JSON.parse(line) as ChildResult;
}

export async function benchPlanner(sizes = [100, 1_000]): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const n of sizes) {
    const r = spawnChild(n);
    const largest = n === Math.max(...sizes);
    console.log(
      `planner ${r.nodes} nodes, ${r.services} services, ${r.tasks} tasks: ${r.ms.toFixed(0)} ms, ` +
        `peak RSS ${r.peakRssMiB.toFixed(0)} MiB (plan: RSS +${r.rssDeltaMiB.toFixed(0)} MiB, heap +${r.heapDeltaMiB.toFixed(0)} MiB), ` +
        `${r.moved} services to move` +
        (largest ? ` — goal < ${GOAL_MS} ms and < ${GOAL_MIB} MiB: ${r.ms < GOAL_MS && r.peakRssMiB < GOAL_MIB ? 'OK' : 'MISSED'}` : ''),
    );
    results.push(
      { name: `planner ${n} nodes: time`, value: Math.round(r.ms), unit: 'ms', ...(largest ? { goal: `< ${GOAL_MS}` } : {}) },
      { name: `planner ${n} nodes: peak RSS`, value: Math.round(r.peakRssMiB), unit: 'MiB', ...(largest ? { goal: `< ${GOAL_MIB}` } : {}) },
      { name: `planner ${n} nodes: heap growth`, value: Math.round(r.heapDeltaMiB), unit: 'MiB' },
    );
  }
  return results;
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  const child = process.argv.indexOf('--child');
  if (child >= 0) {
    process.stdout.write(JSON.stringify(runChild(Number(process.argv[child + 1]))) + '\n');
  } else {
    await benchPlanner();
  }
}
