// The acting agent and a newer peer: items it cannot read are dropped and counted, the watermark
// moves past them (saved with the state), and no pull round can take the agent down.
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../test/support/fake-clock.js';
import { FakeDocker, FakeJournal } from '../../test/support/fake-agent-deps.js';
import { captureLog } from '../../test/support/log-capture.js';
import { parseConfig } from '../config/load.js';
import { createLogger } from '../log/logger.js';
import { Health, type HealthStatus } from '../operate/health.js';
import { Metrics } from '../operate/metrics.js';
import { Agent } from './agent.js';

const page = {
  node: 'node3',
  oldest: 1,
  last: 2,
  items: [
    { seq: 1, obs: { type: 'future-kind', time: 1 } },
    { seq: 2, obs: { type: 'boot', time: 5, node: 'node3', bootId: 'b2' } },
  ],
};

async function newerPeer(): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => res.end(JSON.stringify(page)));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const until = async (what: string, ok: () => boolean) => {
  for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!ok()) throw new Error(`timed out waiting for ${what}`);
};

function actingAgent(peerUrl: string, health = new Health()) {
  const stateDir = mkdtempSync(join(tmpdir(), 'wdg-agent-peers-'));
  const config = parseConfig(`node: node1\nstateDir: ${stateDir}\npeers: { static: ['${peerUrl}'], pullEvery: 1s }\n`, '(test)', {});
  const out = captureLog();
  const clock = new FakeClock(1_796_000_000_000);
  const metrics = new Metrics();
  const agent = new Agent({ config, log: createLogger({ destination: out.destination }), clock, docker: new FakeDocker(), journal: new FakeJournal(), metrics, health });
  return { agent, out, clock, metrics, stateDir };
}

describe('the acting agent pulling from a newer peer', () => {
  let server: Server | undefined;
  let agent: Agent | undefined;
  afterEach(async () => {
    await agent?.stop();
    server?.close();
  });

  it('drops the unknown item with a coded line and a count, takes the rest, and saves the watermark past both', async () => {
    const peer = await newerPeer();
    server = peer.server;
    const a = actingAgent(peer.url);
    agent = a.agent;
    agent.start();
    await a.clock.advance(1000);
    await until('the pull round', () => a.out.lines.some((l) => l.code === 'WDG-PEER-001'));
    expect(a.out.lines.find((l) => l.code === 'WDG-PEER-001')).toMatchObject({ peer: 'node3', count: 1, reason: expect.stringContaining('seq 1: future-kind') });
    expect(await a.metrics.text()).toContain('watchdog_peer_evidence_dropped_total{peer="node3"} 1');
    await agent.stop();
    const saved = JSON.parse(readFileSync(join(a.stateDir, 'agent-state.json'), 'utf8')) as { marks: Record<string, number> };
    expect(saved.marks).toEqual({ node3: 2 });
  });

  it('a round that fails is logged, and the next round runs on time', async () => {
    const peer = await newerPeer();
    server = peer.server;
    let failures = 1;
    const health = new (class extends Health {
      override set(name: string, status: HealthStatus, now: number, detail?: string): void {
        if (name === 'peers' && failures-- > 0) throw new Error('health store broke');
        super.set(name, status, now, detail);
      }
    })();
    const a = actingAgent(peer.url, health);
    agent = a.agent;
    agent.start();
    await a.clock.advance(1000);
    await until('the failed round', () => a.out.lines.some((l) => l.code === 'WDG-PEER-002'));
    await a.clock.advance(1000);
    await until('the next round', () => health.report().some((e) => e.Name === 'peers' && e.Status === 'OK'));
    expect(a.out.lines.filter((l) => l.code === 'WDG-PEER-002')).toHaveLength(1);
  });
});
