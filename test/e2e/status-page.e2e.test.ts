// Looking instead of reading, on the real lab: node3 is cut off for ~35 s while Debian's Prometheus
// scrapes the agents with deploy/prometheus/rules.yml loaded and headless Chromium watches the acting
// agent's status page. The rules' expressions see the incident open and node3's agent down during the
// cut and both back to zero after; the page shows node3's lanes, the moved tasks and the reconnect
// codes in this hour's column, with no console error; `diagnose --html` of the same journal opens
// from a file:// URL. Screenshots go to test-output/status-page/ (WDG_TEST_OUTPUT overrides).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { journalTime, sleep, waitFor } from '../lab/lab.js';
import { useLab } from '../lab/use-lab.js';
import { createService, waitForNodeState, waitForSpread } from '../lab/swarm.js';
import { agentsFor, stopAgents, BIN, PORT, TOKEN, type AgentProcess } from '../support/agents.js';
import { HeadlessChromium } from '../support/browser.js';
import { Prometheus, RULES } from '../support/prometheus.js';
import { SlackStandIn } from '../support/slack-standin.js';

const lab = useLab({ nodes: 3, managers: 1 });
const OUT = process.env.WDG_TEST_OUTPUT ?? new URL('../../test-output/status-page/', import.meta.url).pathname;
const REDIS_ON_START = 'echo \'{"level":"info","code":"API-REDIS-001","msg":"reconnected to redis"}\'; exec sleep 1000000';
const JOURNALD = ['--log-driver', 'journald', '--log-opt', 'tag=api', '--log-opt', 'labels=com.docker.swarm.service.name,com.docker.swarm.node.id,com.docker.swarm.task.id'];

const ruleExpr = (alert: string): string => {
  const groups = (parse(readFileSync(RULES, 'utf8')) as { groups: { rules: { alert: string; expr: string }[] }[] }).groups;
  return groups.flatMap((g) => g.rules).find((r) => r.alert === alert)!.expr;
};

let agents: AgentProcess[] = [];
let slack: SlackStandIn;
let prom: Prometheus;
let browser: HeadlessChromium;
let dir = '';
let cutAt = 0;
let ids: Record<string, string> = {};

beforeAll(async () => {
  const l = lab();
  mkdirSync(OUT, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'wdg-status-'));
  slack = await SlackStandIn.forLab(l, join(dir, 'webhook'));
  ids = Object.fromEntries((await l.docker('node1', ['node', 'ls', '--format', '{{.Hostname}} {{.ID}}'])).split('\n').map((line) => line.split(' ')));
  agents = agentsFor(l, {
    dir,
    matches: (node) => ['+', `COM_DOCKER_SWARM_NODE_ID=${ids[node.name]}`],
    config: {
      alerts: { webhookFile: join(dir, 'webhook') },
      rebalance: { stabilization: '10s', cooldown: '5s' },
      correlate: { quiet: '10s' },
      appLogs: { massReconnect: { minTasks: 2 } },
    },
  });
  for (const a of agents) a.start();
  const prometheusDir = join(dir, 'prometheus');
  mkdirSync(prometheusDir);
  [prom, browser] = await Promise.all([
    Prometheus.start(prometheusDir, [{ job_name: 'swarm-watchdog', static_configs: [{ targets: l.nodes.map((n) => `${n.addr}:${PORT}`) }] }]),
    HeadlessChromium.launch({ authorization: `Bearer ${TOKEN}` }), // reads may need the peer token
  ]);
  await Promise.all(agents.map((a) => a.ready()));
  await waitFor('node1 agent acts', async () => (await agents[0].get<{ acting: boolean }>('/v1/stats')).body.acting, 30_000);
  await createService(l, { name: 'web', replicas: 6, command: ['sh', '-c', REDIS_ON_START], args: JOURNALD });
  await waitForSpread(l, 'web', { node1: 2, node2: 2, node3: 2 }, 60_000);
});

afterAll(async () => {
  await browser?.close();
  await prom?.stop();
  if (prom) writeFileSync(join(dir, 'prometheus.log'), prom.log());
  await stopAgents(agents);
  await slack?.stop();
});

const page = () => `${agents[0].url}/`;

describe('the status page, Prometheus and the --html report around a partition', () => {
  it('during the cut: the rules see the incident and node3 down; the page shows node3 Down and its lanes', async () => {
    const l = lab();
    // the deploy's own reconnect burst may be an incident of its own: start from zero
    await waitFor('no incident open before the cut', async () => (await prom.query(ruleExpr('SwarmWatchdogIncidentOpen'))).length === 0, 60_000, 1000);
    cutAt = Date.now();
    await l.cut('node3');
    await waitForNodeState(l, 'node3', 'down', 60_000);
    // (the rescheduled tasks' reconnect burst may show first as a kind of its own, then join the partition)
    const open = await waitFor('the incident rule matching a partition', async () => {
      const r = await prom.query(ruleExpr('SwarmWatchdogIncidentOpen'));
      return r.some((s) => s.metric.kind === 'partition') ? r : undefined;
    }, 30_000, 500);
    expect(open.map((s) => s.metric.kind)).toContain('partition');
    const firing = await waitFor('the alert firing in Prometheus', async () => {
      const r = await prom.query('ALERTS{alertname="SwarmWatchdogIncidentOpen",alertstate="firing",kind="partition"}');
      return r.length ? r : undefined;
    }, 15_000, 500);
    expect(firing).toHaveLength(1);
    const down = await prom.query('up{job="swarm-watchdog"} == 0'); // SwarmWatchdogAgentDown's expression before its `for`
    expect(ruleExpr('SwarmWatchdogAgentDown')).toBe('up{job="swarm-watchdog"} == 0');
    expect(down.map((s) => s.metric.instance)).toEqual([`${l.node('node3').addr}:${PORT}`]);
    console.log(`cut → incident rule matching ${Date.now() - cutAt} ms`);

    const { page: p, problems } = await browser.open(page());
    await p.locator('svg.timeline text.lane', { hasText: 'node3' }).waitFor({ timeout: 10_000 });
    await waitFor('node3 Down on the page', async () => (await p.locator('table.nodes tr', { hasText: 'node3' }).textContent())?.includes('down'), 20_000, 1000);
    expect(await p.locator('ul.incidents li.selected .kind').textContent()).toBe('partition');
    await p.screenshot({ path: join(OUT, '1-during-cut.png'), fullPage: true });
    expect(problems).toEqual([]);
    await p.close();
  });

  it('after the heal: the rules go back to zero; the timeline has the moved tasks, the grid the reconnect codes in this hour', async () => {
    const l = lab();
    await sleep(Math.max(0, cutAt + 35_000 - Date.now()));
    await l.heal('node3');
    await waitForNodeState(l, 'node3', 'ready', 60_000);
    const ended = await waitFor('the incident ended', async () => {
      const list = (await agents[0].get<{ incidents: { id: string; kind: string; end: string | null; nodes: string[] }[] }>('/v1/incidents')).body.incidents;
      return list.find((i) => i.kind === 'partition' && i.nodes.includes('node3') && i.end !== null && Date.parse(i.end) > cutAt);
    }, 90_000, 1000);
    expect(ended).toBeDefined();
    // (the rebalance's new tasks reconnect too: a short burst of their own may open and end meanwhile)
    await waitFor('every incident rule back to zero', async () => (await prom.query(ruleExpr('SwarmWatchdogIncidentOpen'))).length === 0, 90_000, 1000);
    expect(await prom.query('sum(watchdog_incidents_open{job="swarm-watchdog"})')).toMatchObject([{ value: [expect.any(Number), '0'] }]);
    await waitFor('every agent scraped again', async () => (await prom.query('up{job="swarm-watchdog"} == 0')).length === 0, 15_000, 500);
    await waitForSpread(l, 'web', { node1: 2, node2: 2, node3: 2 }, 60_000);

    const { page: p, problems } = await browser.open(`${page()}?incident=${encodeURIComponent(ended.id)}`);
    const svg = p.locator(`svg.timeline[data-incident="${ended.id}"]`);
    const lanes = await svg.locator('text.lane').allTextContents();
    console.log(`timeline lanes: ${lanes.join(', ')}`);
    expect(lanes[0]).toBe('node3'); // the cut node first
    expect(lanes).toEqual(expect.arrayContaining(['node1', 'node2', 'all tasks', 'watchdog']));
    expect(new Set(lanes).size).toBe(lanes.length);
    const left = await svg.locator('.ev.t-tasks[data-node="node3"]').count();
    const arrived = await svg.locator('.ev.t-tasks:not([data-node="node3"])').count();
    expect(left).toBeGreaterThan(0);
    expect(arrived).toBeGreaterThan(0);
    expect(await svg.locator('.ev.t-reconnect').first().getAttribute('data-detail')).toMatch(/API-REDIS-001/);
    // the evidence line under the pointer, and the keyboard moving along the marks
    const first = svg.locator('.ev.t-session[data-node="node3"]').first();
    await first.hover();
    const panel = p.locator('.evidence-line');
    const pointed = svg.locator('.ev.active'); // the mark on top under the pointer
    expect(await pointed.getAttribute('data-node')).toBe('node3');
    expect(await panel.textContent()).toBe(await pointed.getAttribute('data-detail'));
    await first.focus();
    const before = await panel.textContent();
    await p.keyboard.press('ArrowRight');
    expect(await panel.textContent()).not.toBe(before);
    // the grid: the reconnect code in the current hour's column, marked as the incident's hour
    const hour = String(Math.floor(cutAt / 3_600_000) * 3_600_000);
    const cell = p.locator(`table.grid tr[data-code="API-REDIS-001"] td[data-hour="${hour}"]`);
    expect(Number(await cell.textContent())).toBeGreaterThanOrEqual(2);
    expect(await cell.getAttribute('class')).toMatch(/\binc\b/);
    await p.screenshot({ path: join(OUT, '2-after-heal.png'), fullPage: true });
    await svg.screenshot({ path: join(OUT, '3-timeline.png') });
    // it refreshes by itself (and keeps working): the header's time changes without a reload
    const shown = await p.locator('#updated').textContent();
    await waitFor('the page refreshed itself', async () => (await p.locator('#updated').textContent()) !== shown, 15_000, 500);
    expect(problems).toEqual([]);
    await p.close();
  });

  it('diagnose --html of the same journal opens from a file:// URL with the same timeline', async () => {
    const l = lab();
    // each node's daemon and its containers (as `journalctl -o json` on the node would give), and the manager's events
    const since = journalTime(new Date(cutAt - 60_000).toISOString());
    const inputs: string[] = [];
    for (const n of l.nodes) {
      const file = join(dir, `${n.name}.journal.json`);
      writeFileSync(file, execFileSync('journalctl', ['-o', 'json', '--no-pager', '--utc', '--since', since, `SYSLOG_IDENTIFIER=${n.journalId}`, '+', `COM_DOCKER_SWARM_NODE_ID=${ids[n.name]}`], { encoding: 'utf8', maxBuffer: 64 << 20 }));
      inputs.push('--input', `${n.name}=${file}`);
    }
    const events = join(dir, 'events.json');
    writeFileSync(events, await l.docker('node1', ['events', '--since', String(Math.floor(cutAt / 1000) - 60), '--until', String(Math.floor(Date.now() / 1000)), '--format', '{{json .}}']));
    const report = join(OUT, 'diagnose.html');
    execFileSync(process.execPath, [BIN, 'diagnose', ...inputs, '--events', events, '--html', report], { encoding: 'utf8' });
    const { page: p, problems } = await browser.open(pathToFileURL(report).href);
    await p.locator('svg.timeline text.lane', { hasText: 'node3' }).first().waitFor({ timeout: 5000 });
    expect(await p.locator('section.incident .kind').allTextContents()).toContain('partition');
    expect(await p.locator('table.grid tr[data-code="API-REDIS-001"] td.total').textContent()).toMatch(/^[1-9]\d*$/);
    await p.locator('svg.timeline .ev').first().focus();
    expect(await p.locator('.evidence-line').first().textContent()).toMatch(/\d\d:\d\d:\d\d/);
    await p.screenshot({ path: join(OUT, '4-diagnose-report.png'), fullPage: true });
    expect(problems).toEqual([]);
    await p.close();
  });
});
