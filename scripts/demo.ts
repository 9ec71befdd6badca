// The demo (README's first command, through scripts/demo.sh): a real 3-node swarm on this machine,
// a watchdog agent on every node, a worker cut off and healed, and what the watchdog says meanwhile.
//   --keep            leave the lab up at the end (tear it down with LAB_NAME=demo scripts/lab/lab.sh down)
//   --processes       run the agents as processes (no image build) instead of deploying stack.yml
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Lab, sleep, waitFor } from '../test/lab/lab.js';
import { createService, formatSpread, isNodeStateEvent, runningTasksPerNode, spreadIs, total, watchEvents } from '../test/lab/swarm.js';
import { agentsFor, BIN, TOKEN, type AgentProcess, type LogLine } from '../test/support/agents.js';
import { agentContainer, buildImage, containerLines, deployStack, loadImage, type AgentContainer } from '../test/support/stack.js';
import { SlackStandIn, type Received } from '../test/support/slack-standin.js';

const keep = process.argv.includes('--keep');
const asProcesses = process.argv.includes('--processes');
const started = Date.now();
const t = () => `+${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s`;
const say = (text: string) => console.log(`${t()}  ${text}`);
const heading = (text: string) => console.log(`\n${t()}  == ${text} ==`);

/** A Slack message as Slack shows it: its blocks as text. */
function render(m: Received): string {
  const lines: string[] = [];
  for (const b of (m.body.blocks ?? []) as Array<Record<string, any>>) {
    if (b.type === 'header') lines.push(`*${b.text.text}*`);
    if (b.type === 'section' && b.text) lines.push(b.text.text);
    if (b.type === 'section' && b.fields) lines.push(b.fields.map((f: { text: string }) => f.text.replace('\n', ': ')).join(' | '));
    if (b.type === 'context') lines.push(`(${b.elements.map((e: { text: string }) => e.text).join(' ')})`);
  }
  return (lines.length ? lines : [m.body.text ?? '']).join('\n').split('\n').map((l) => `      │ ${l}`).join('\n');
}

const WATCH = /^WDG-(DETECT|INCIDENT|REBALANCE|CLUSTER)-/;

async function main(): Promise<void> {
  heading('bringing up a 3-node swarm (real dockerd in network namespaces)');
  const lab = await Lab.up({ name: 'demo', nodes: 3, managers: 1, reapWithProcess: !keep });
  const timings: Record<string, number> = {};
  let agents: AgentProcess[] = [];
  const slack = new SlackStandIn(`${lab.subnet}.1`);
  try {
    await slack.start();
    const dir = mkdtempSync(join(tmpdir(), 'wdg-demo-'));
    writeFileSync(join(dir, 'webhook'), slack.url);
    const settings = { stabilization: '20s', quiet: '20s' };
    // What each agent logged: process output, or the stack's containers (Swarm may replace them).
    let agentLines: () => Promise<Array<{ node: string; key: string; lines: LogLine[] }>>;
    if (asProcesses) {
      agents = agentsFor(lab, { dir, config: { alerts: { webhookFile: join(dir, 'webhook') }, rebalance: { stabilization: settings.stabilization }, correlate: { quiet: settings.quiet } } });
      for (const a of agents) a.start();
      await Promise.all(agents.map((a) => a.ready()));
      say('a watchdog agent runs on every node, inside its network namespace');
      agentLines = async () => agents.map((a) => ({ node: a.node.name, key: a.node.name, lines: a.lines }));
    } else {
      say('building the image (scripts/image/build.sh: a Debian rootfs and Node, no registry needed)');
      const built = await buildImage(lab);
      await loadImage(lab, built.tar);
      writeFileSync(join(dir, 'peer_token'), TOKEN);
      await deployStack(lab, { image: built.image, webhookFile: join(dir, 'webhook'), tokenFile: join(dir, 'peer_token') });
      say(`docker stack deploy -c stack.yml watchdog (image ${built.image}, ${Math.round(built.size / 2 ** 20)} MiB): one agent per node`);
      const found = new Map<string, AgentContainer>();
      agentLines = async () => {
        for (const n of lab.nodes) {
          const c = await agentContainer(lab, n.name).catch(() => undefined);
          if (c) found.set(c.id, c);
        }
        return Promise.all([...found.values()].map(async (c) => ({ node: c.node.name, key: c.id, lines: await containerLines(lab, c.node, c.id).catch(() => []) })));
      };
      await waitFor('every agent running', async () => (await agentLines()).filter((a) => a.lines.some((l) => l.code === 'WDG-HTTP-001')).length === 3, 120_000, 1000);
    }

    await createService(lab, { name: 'web', replicas: 6, command: ['sh', '-c', 'echo \'{"code":"API-REDIS-001","msg":"reconnected to redis"}\'; exec sleep 1000000'], args: ['--log-driver', 'journald', '--log-opt', 'tag=api', '--log-opt', 'labels=com.docker.swarm.service.name,com.docker.swarm.node.id,com.docker.swarm.task.id'] });
    say(`service web, 6 replicas: ${formatSpread(await runningTasksPerNode(lab, 'web'))}`);

    // Print what the watchdog says, as it happens.
    const shown = new Map<string, number>();
    for (const a of await agentLines()) shown.set(a.key, a.lines.length);
    let shownSlack = 0;
    let printing = false;
    const printer = setInterval(async () => {
      if (printing) return;
      printing = true;
      for (const a of await agentLines()) {
        for (const l of a.lines.slice(shown.get(a.key) ?? 0)) if (typeof l.code === 'string' && WATCH.test(l.code)) say(`watchdog@${a.node} [${l.code}] ${l.msg}`);
        shown.set(a.key, a.lines.length);
      }
      for (const m of slack.delivered.slice(shownSlack)) say(`Slack received:\n${render(m)}`);
      shownSlack = slack.delivered.length;
      printing = false;
    }, 500);

    heading('cutting node3 off the network');
    const events = await watchEvents(lab, 'node1', { type: ['node'] });
    const cutAt = Date.now();
    await lab.cut('node3');
    const down = await events.waitFor(isNodeStateEvent('node3', 'down'), 60_000, 'node3 down');
    timings['cut → Swarm marks node3 Down'] = down.timeNano / 1e6 - cutAt;
    const alert = await waitFor('the Slack alert', async () => slack.delivered.find((m) => /partition/.test(m.body.text ?? '')), 60_000, 100);
    timings['cut → Slack alert'] = alert.at - cutAt;
    await waitFor('tasks rescheduled', async () => {
      const s = await runningTasksPerNode(lab, 'web');
      return total(s) === 6 && s.node3 === 0 ? s : undefined;
    }, 60_000);
    say(`Swarm moved node3's tasks: web ${formatSpread(await runningTasksPerNode(lab, 'web'))}`);
    await sleep(Math.max(0, cutAt + 40_000 - Date.now()));

    heading('healing node3');
    await lab.heal('node3');
    const healAt = Date.now();
    await events.waitFor(isNodeStateEvent('node3', 'ready'), 60_000, 'node3 ready');
    events.close();
    say(`node3 is Ready again; Swarm leaves it empty: web ${formatSpread(await runningTasksPerNode(lab, 'web'))}`);
    await sleep(8000);
    const snapshot = join(dir, 'snapshot.json');
    execFileSync(process.execPath, [BIN, 'snapshot', '--output', snapshot], { env: { ...process.env, WATCHDOG_DOCKER_SOCKET: lab.node('node1').socketPath } });
    say(`the plan (watchdog rebalance --dry-run on a snapshot taken now):\n${execFileSync(process.execPath, [BIN, 'rebalance', '--dry-run', '--snapshot', snapshot], { encoding: 'utf8' }).trimEnd().split('\n').map((l) => `      │ ${l}`).join('\n')}`);

    heading(`waiting ${settings.stabilization} of stability, then the rebalance (running replicas sampled every 250 ms)`);
    let min = Infinity;
    let last = '';
    const balanced = await waitFor('web balanced', async () => {
      const s = await runningTasksPerNode(lab, 'web');
      min = Math.min(min, total(s));
      const text = formatSpread(s);
      if (text !== last) say(`web ${text} (running ${total(s)})`);
      last = text;
      return spreadIs(s, { node1: 2, node2: 2, node3: 2 }) ? s : undefined;
    }, 120_000, 250);
    timings['heal → balanced'] = Date.now() - healAt;
    await waitFor('the rebalance message', async () => slack.delivered.some((m) => /rebalanced/.test(m.body.text ?? '')), 30_000, 250).catch(() => undefined);
    await sleep(1000);
    clearInterval(printer);
    heading('done');
    say(`web is balanced again: ${formatSpread(balanced)}; running replicas never below ${min}`);
    console.log('\nTimings measured in this run:');
    for (const [what, ms] of Object.entries(timings)) console.log(`  ${what.padEnd(32)} ${(ms / 1000).toFixed(1)} s`);
  } finally {
    await Promise.all(agents.map((a) => a.stop()));
    await slack.stop();
    if (keep) console.log(`\nThe lab is still up (--keep): LAB_NAME=demo scripts/lab/lab.sh status | down`);
    else await lab.down();
  }
}

main().catch((err) => {
  console.error(`demo failed: ${(err as Error).message}`);
  process.exitCode = 1;
});
