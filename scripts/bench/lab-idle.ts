// `npm run bench:lab` (root, the real lab; not run by CI): the agent at idle and the cut → alert time,
// on a 3-node lab (1 manager) and on a 9-node lab (3 managers + 6 workers). Per size: the demo's
// service (web, 2 replicas per node, journald logs), an agent per node with the production periods
// (5 s reconcile and peer pulls), N minutes without a fault, then RSS and CPU per agent; then a worker
// cut off until the Slack alert, healed, `--cuts` times. Goals (issue 14): RSS ≤ 60 MiB and CPU < 1 %
// of one core per agent; the acting agent's CPU and cut → alert on 9 nodes ≤ 1.20 × on 3 nodes.
//   npm run bench:lab -- [--minutes 10] [--cuts 2] [--sizes 3,9]
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Lab, sleep, waitFor } from '../../test/lab/lab.js';
import { createService } from '../../test/lab/swarm.js';
import { actingAgent, agentsFor, type AgentProcess } from '../../test/support/agents.js';
import { SlackStandIn } from '../../test/support/slack-standin.js';
import { measureCuts, type CutTiming } from './lab-cuts.js';
import { measureIdle, printIdle, type AgentIdle } from './lab-usage.js';

const RSS_GOAL_MIB = 60;
const CPU_GOAL = 1;
const RATIO_GOAL = 1.2;
const SIZES: Record<string, { nodes: number; managers: number }> = { '3': { nodes: 3, managers: 1 }, '9': { nodes: 9, managers: 3 } };

interface Options {
  minutes: number;
  cuts: number;
  sizes: string[];
}

interface SizeResult {
  nodes: number;
  idle: AgentIdle[];
  cuts: CutTiming[];
}

function parseArgs(argv: string[]): Options {
  const opts: Options = { minutes: 10, cuts: 2, sizes: ['3', '9'] };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === '--minutes' && Number(value) > 0) opts.minutes = Number(value);
    else if (flag === '--cuts' && Number.isInteger(Number(value)) && Number(value) >= 0) opts.cuts = Number(value);
    else if (flag === '--sizes' && value?.split(',').every((s) => s in SIZES)) opts.sizes = value.split(',');
    else throw new Error(`bench:lab: bad argument '${flag} ${value ?? ''}' (use --minutes N, --cuts N, --sizes 3,9)`);
  }
  return opts;
}

const JOURNALD = ['--log-driver', 'journald', '--log-opt', 'tag=api', '--log-opt', 'labels=com.docker.swarm.service.name,com.docker.swarm.node.id,com.docker.swarm.task.id'];
const REDIS_ON_START = 'echo \'{"code":"API-REDIS-001","msg":"reconnected to redis"}\'; exec sleep 1000000';

/** One agent per node, as the e2e suites start them, but with the production periods. */
async function startAgents(lab: Lab, dir: string, webhookFile: string): Promise<AgentProcess[]> {
  const ids = Object.fromEntries((await lab.docker('node1', ['node', 'ls', '--format', '{{.Hostname}} {{.ID}}'])).split('\n').map((line) => line.split(' ')));
  const agents = agentsFor(lab, {
    dir,
    matches: (node) => ['+', `COM_DOCKER_SWARM_NODE_ID=${ids[node.name]}`],
    config: {
      journal: { cursorFlush: '1s' },
      cluster: { reconcileEvery: '5s' },
      peers: { pullEvery: '5s' },
      alerts: { webhookFile },
      rebalance: { stabilization: '20s' },
      correlate: { quiet: '20s' },
    },
  });
  for (const a of agents) a.start();
  await Promise.all(agents.map((a) => a.ready(60_000)));
  await waitFor('an acting agent', () => actingAgent(agents), 60_000, 500);
  return agents;
}

async function measureSize(key: string, opts: Options): Promise<SizeResult> {
  const { nodes, managers } = SIZES[key];
  const log = (text: string) => console.log(`[${nodes} nodes ${new Date().toISOString().slice(11, 19)}] ${text}`);
  log(`lab up (${managers} managers, engine ${process.env.LAB_ENGINE ?? '28'})`);
  const lab = await Lab.up({ name: 'bidle', nodes, managers });
  let agents: AgentProcess[] = [];
  let slack: SlackStandIn | undefined;
  try {
    const dir = mkdtempSync(join(tmpdir(), 'wdg-bench-lab-'));
    slack = await SlackStandIn.forLab(lab, join(dir, 'webhook'));
    agents = await startAgents(lab, dir, join(dir, 'webhook'));
    await createService(lab, { name: 'web', replicas: 2 * nodes, command: ['sh', '-c', REDIS_ON_START], args: JOURNALD });
    log(`agents ready, web ${2 * nodes} replicas running; measuring ${opts.minutes} min at idle`);
    const idle = await measureIdle(agents, opts.minutes * 60_000);
    printIdle(`${nodes} nodes, ${opts.minutes} min at idle`, idle, { rssMiB: RSS_GOAL_MIB, cpu: CPU_GOAL });
    const cuts = await measureCuts(lab, slack, lab.nodes[lab.nodes.length - 1].name, opts.cuts, log);
    return { nodes, idle, cuts };
  } finally {
    await Promise.all(agents.map((a) => a.stop()));
    for (const a of agents) a.dump();
    await slack?.stop();
    await lab.down();
    await sleep(1000);
  }
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);

function printSummary(results: SizeResult[]): void {
  console.log('\n== summary ==');
  const line = (name: string, value: number, unit: string, goal: string) =>
    console.log(`${name.padEnd(44)} ${Number.isFinite(value) ? value.toFixed(2).padStart(9) : '      n/a'} ${unit.padEnd(4)} (goal: ${goal})`);
  for (const r of results) {
    const acting = r.idle.find((a) => a.acting);
    line(`${r.nodes} nodes: max agent RSS`, Math.max(...r.idle.map((a) => a.rssMiB)), 'MiB', `≤ ${RSS_GOAL_MIB}`);
    line(`${r.nodes} nodes: max agent CPU`, Math.max(...r.idle.map((a) => a.cpu)), '%', `< ${CPU_GOAL}`);
    line(`${r.nodes} nodes: acting agent (${acting?.node ?? '?'}) CPU`, acting?.cpu ?? NaN, '%', `< ${CPU_GOAL}`);
    line(`${r.nodes} nodes: cut → Slack alert (mean of ${r.cuts.length})`, mean(r.cuts.map((c) => c.alertMs)) / 1000, 's', 'ratio below');
    line(`${r.nodes} nodes: cut → Swarm marks Down (mean)`, mean(r.cuts.map((c) => c.downMs)) / 1000, 's', 'reference');
  }
  const [small, large] = [results.find((r) => r.nodes === 3), results.find((r) => r.nodes === 9)];
  if (!small || !large) return;
  const actingCpu = (r: SizeResult) => r.idle.find((a) => a.acting)?.cpu ?? NaN;
  line('acting agent CPU, 9 nodes / 3 nodes', actingCpu(large) / actingCpu(small), '×', `≤ ${RATIO_GOAL}`);
  line('cut → alert, 9 nodes / 3 nodes', mean(large.cuts.map((c) => c.alertMs)) / mean(small.cuts.map((c) => c.alertMs)), '×', `≤ ${RATIO_GOAL}`);
  const own = (r: SizeResult) => mean(r.cuts.map((c) => c.alertMs - c.downMs));
  line('Down → alert (the watchdog\'s part), 9 / 3', own(large) / own(small), '×', 'reference');
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const results: SizeResult[] = [];
  for (const key of opts.sizes) results.push(await measureSize(key, opts));
  printSummary(results);
}

main().catch((err) => {
  console.error(`bench:lab failed: ${(err as Error).stack ?? err}`);
  process.exitCode = 1;
});
