// Operating the agents on the real lab: Slack delivery through 429, 500 and an outage (every message
// arrives once, detection goes on), config reload (applied, and a broken file refused with health
// showing it, and refused whole), debug on demand, log shipping over UDP that survives its receiver
// going away, and malformed HTTP requests that get a 4xx instead of crashing the agent.
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { sleep, waitFor } from '../lab/lab.js';
import { useLab } from '../lab/use-lab.js';
import { createService, waitForNodeState } from '../lab/swarm.js';
import { agentsFor, PORT, TOKEN, type AgentProcess } from '../support/agents.js';
import { SlackStandIn } from '../support/slack-standin.js';

const lab = useLab({ nodes: 3, managers: 1 });
let agents: AgentProcess[] = [];
let slack: SlackStandIn;
let udp: Socket | undefined;
const datagrams: Array<Record<string, unknown>> = [];
let udpPort = 0;

beforeAll(async () => {
  const l = lab();
  const dir = mkdtempSync(join(tmpdir(), 'wdg-operate-'));
  slack = await SlackStandIn.forLab(l, join(dir, 'webhook'));
  udp = createSocket('udp4');
  udp.on('message', (msg) => {
    try {
      datagrams.push(JSON.parse(msg.toString('utf8')));
    } catch {
      datagrams.push({ raw: msg.toString('utf8') });
    }
  });
  await new Promise<void>((resolve) => udp!.bind(0, `${l.subnet}.1`, resolve));
  udpPort = udp.address().port;
  agents = agentsFor(l, {
    dir,
    config: {
      alerts: { webhookFile: join(dir, 'webhook') },
      rebalance: { stabilization: '15s', cooldown: '5s' },
      correlate: { quiet: '15s' },
      reloadEvery: '2s',
      log: { ship: { protocol: 'gelf', host: `${l.subnet}.1`, port: udpPort } },
    },
  });
  for (const a of agents) a.start();
  await Promise.all(agents.map((a) => a.ready()));
  await createService(l, { name: 'web', replicas: 6 });
});

/** One raw HTTP/1.1 exchange (fetch refuses odd request targets): what the agent wrote before closing. */
function rawRequest(host: string, head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(PORT, host);
    let got = '';
    socket.setTimeout(10_000, () => socket.destroy(new Error(`no answer to ${head}`)));
    socket.on('data', (d) => (got += d.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => resolve(got));
    socket.write(`${head}\r\nHost: agent\r\nConnection: close\r\n\r\n`);
  });
}

afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop()));
  for (const a of agents) console.log(`agent log: ${a.dump()}`);
  await slack?.stop();
  udp?.close();
});

describe('operating the agents', () => {
  it('ships coded log lines over UDP and keeps running when the receiver is gone', async () => {
    const shipped = await waitFor('shipped GELF lines', async () => (datagrams.length >= 3 ? datagrams : undefined), 20_000, 200);
    const gelf = shipped.find((d) => d._code === 'WDG-HTTP-001');
    expect(gelf).toMatchObject({ version: '1.1', level: 6 });
    expect(typeof gelf?.short_message).toBe('string');
    udp!.close();
    udp = undefined;
    // Lines keep coming (debug on, below) and the agent keeps answering.
    const res = await fetch(`${agents[1].url}/v1/debug`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: '{"on":true}' });
    expect(res.status).toBe(200);
    await sleep(3000);
    expect((await agents[1].get('/v1/stats')).status).toBe(200);
    expect(agents[1].proc?.exitCode).toBeNull();
  });

  it('switches debug on and off at runtime (HTTP with the token, SIGUSR2)', async () => {
    const a = agents[1];
    expect((await fetch(`${a.url}/v1/debug`, { method: 'POST', body: '{"on":true}' })).status).toBe(401);
    await a.waitForLine('a debug line', (l) => l.level === 'debug', 10_000);
    a.proc!.kill('SIGUSR2'); // toggles: off
    await a.waitForLine('debug off', (l) => l.code === 'WDG-OPS-001' && l.debug === false, 10_000);
    const mark = a.lines.length;
    await sleep(3000);
    expect(a.lines.slice(mark).filter((l) => l.level === 'debug')).toEqual([]);
    expect((await a.get<{ debug: boolean }>('/v1/stats')).body.debug).toBe(false);
  });

  it('applies a changed config within the reload period, refuses a broken one and shows it in health', async () => {
    const a = agents[2];
    const original = readFileSync(a.configFile, 'utf8');
    writeFileSync(a.configFile, original.replace('quiet: 15s', 'quiet: 20s'));
    await a.waitForLine('config reloaded', (l) => l.code === 'WDG-CONFIG-003', 10_000);
    // New journal matches apply at once (journalctl restarted after the last entry read); a new port
    // takes a restart, and the agent says so instead of ignoring it.
    const mark = a.lines.length;
    const changed = parse(original) as { journal: { matches: string[] }; http: { port: number } };
    changed.journal.matches.push('+', 'SYSLOG_IDENTIFIER=wdg-reload-test');
    changed.http.port = 9400;
    writeFileSync(a.configFile, stringify(changed));
    const restarted = await a.waitForLine('journalctl restarted with the new matches', (l) => l.code === 'WDG-JOURNAL-001' && JSON.stringify(l.args).includes('wdg-reload-test'), 10_000, mark);
    expect(restarted.args as string[]).toEqual(expect.arrayContaining([expect.stringMatching(/^--cursor=/)])); // at the last entry read (journal-args.ts)
    const pending = await a.waitForLine('restart-only fields named', (l) => l.code === 'WDG-CONFIG-005', 10_000, mark);
    expect(pending.fields).toEqual(['http.port']);
    expect(a.lines.slice(mark).some((l) => l.code === 'WDG-JOURNAL-002')).toBe(false); // no failure, a replacement
    expect((await a.get('/v1/stats')).status).toBe(200); // still on the port it started with
    writeFileSync(a.configFile, `${original}\nbogusKey: 1\n`);
    const refused = await a.waitForLine('config refused', (l) => l.code === 'WDG-CONFIG-004', 10_000);
    expect(JSON.stringify(refused.problems)).toMatch(/bogusKey: unknown key/);
    const health = await a.get<Array<{ Name: string; Status: string }>>('/health/status');
    expect(health.status).toBe(503);
    expect(health.body.find((e) => e.Name === 'config')?.Status).toBe('ERROR');
    expect((await a.get('/v1/stats')).status).toBe(200); // still running on the previous config
    writeFileSync(a.configFile, original);
    await waitFor('health back to 200', async () => (await a.get('/health/status')).status === 200, 15_000, 500);
  });

  it('answers malformed requests with a 4xx and keeps running; every route but health and metrics needs the token', async () => {
    const a = agents[0];
    for (const target of ['//x:99999/', '//[/', '//%zz/', '//a:b@/']) {
      const answer = await rawRequest(a.node.addr, `GET ${target} HTTP/1.1`);
      expect(Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1]), target).toBeGreaterThanOrEqual(400);
      expect(Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1]), target).toBeLessThan(500);
    }
    expect(await rawRequest(a.node.addr, 'HEAD /health/status HTTP/1.1')).toMatch(/^HTTP\/1\.1 (200|503)[^]*\r\n\r\n$/); // headers, no body
    for (const path of ['/v1/incidents', '/v1/stats', '/v1/summary', '/v1/evidence']) expect((await a.get(path, false)).status, path).toBe(401);
    expect((await a.get('/v1/incidents')).status).toBe(200);
    expect((await a.get('/metrics', false)).status).toBe(200);
    expect((await fetch(`${a.url}/v1/stats`, { headers: { authorization: `bearer ${TOKEN}` } })).status).toBe(200);
    expect(a.proc?.exitCode).toBeNull();
    expect(a.lines.filter((l) => l.code === 'WDG-CLI-001')).toEqual([]);
  });

  it('refuses a reload whole: a new token with a bad schedule leaves the old token in force', async () => {
    const a = agents[0];
    const original = readFileSync(a.configFile, 'utf8');
    const changed = parse(original) as Record<string, Record<string, unknown>>;
    const newToken = join(a.stateDir, '..', 'new-token');
    writeFileSync(newToken, 'a-new-token-that-must-not-apply');
    changed.peers.tokenFile = newToken;
    changed.summary = { schedule: '61 8 * * *' };
    const mark = a.lines.length;
    writeFileSync(a.configFile, stringify(changed));
    const refused = await a.waitForLine('config refused', (l) => l.code === 'WDG-CONFIG-004', 10_000, mark);
    expect(JSON.stringify(refused.problems)).toContain('summary.schedule');
    expect((await a.get('/v1/stats')).status).toBe(200); // the old token still opens it
    writeFileSync(a.configFile, original);
    await waitFor('health back to 200', async () => (await a.get('/health/status')).status === 200, 15_000, 500);
    expect(a.lines.slice(mark).some((l) => l.code === 'WDG-CONFIG-003')).toBe(false); // the original was never left
  });

  it('delivers every Slack message exactly once through 429, 500 and a one-minute outage; detection goes on', async () => {
    const l = lab();
    slack.script = [{ status: 429, retryAfter: 3 }, { status: 500 }];
    const cutAt = Date.now();
    await l.cut('node3');
    await waitFor('the 429 and the 500', async () => slack.received.length >= 2, 60_000, 200);
    await slack.stop(); // Slack goes away for a minute
    const downAt = Date.now();
    const incident = await waitFor('the partition detected meanwhile', async () => {
      const list = (await agents[0].get<{ incidents: Array<{ kind: string; nodes: string[] }> }>('/v1/incidents')).body.incidents;
      return list.find((i) => i.kind === 'partition' && i.nodes.includes('node3'));
    }, 30_000, 500);
    expect(incident).toBeDefined();
    await sleep(Math.max(0, cutAt + 30_000 - Date.now()));
    await l.heal('node3');
    await waitForNodeState(l, 'node3', 'ready', 60_000);
    const slackHealth = await waitFor('Slack failing in health', async () => {
      const h = await agents[0].get<Array<{ Name: string; Status: string }>>('/health/status');
      return h.body.find((e) => e.Name.startsWith('slack') && e.Status !== 'OK');
    }, 30_000, 500);
    expect(slackHealth.Status).toMatch(/ERROR|TIMEOUT/);
    await sleep(Math.max(0, downAt + 60_000 - Date.now()));
    await slack.start(); // same port: the webhook URL in the secret is unchanged
    const delivered = await waitFor('the alert, the end and the rebalance delivered', async () => {
      const texts = slack.delivered.map((m) => m.body.text ?? '');
      return texts.some((t) => t.startsWith(':rotating_light:')) && texts.some((t) => /ended/.test(t)) && texts.some((t) => /rebalanced/.test(t)) ? texts : undefined;
    }, 180_000, 1000);
    console.log(`delivered after the outage:\n${delivered.join('\n---\n')}`);
    expect(new Set(delivered).size).toBe(delivered.length); // nothing twice
    expect(delivered.filter((t) => t.startsWith(':rotating_light:'))).toHaveLength(1);
    expect(slack.received.slice(0, 2).map((r) => r.status)).toEqual([429, 500]);
  });
});
