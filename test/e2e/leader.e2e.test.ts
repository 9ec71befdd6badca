// Three managers and two workers, one agent per node. Two minutes without a fault give no incident;
// cutting the Raft leader off for 40 s gives one leader-election incident (the old leader's own
// partition may be part of it), not an incident per node.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep, waitFor } from '../lab/lab.js';
import { useLab } from '../lab/use-lab.js';
import { createService, waitForNodeState } from '../lab/swarm.js';
import { actingAgent, agentsFor, stopAgents, type AgentProcess } from '../support/agents.js';

const lab = useLab({ nodes: 5, managers: 3 });
let agents: AgentProcess[] = [];

interface IncidentJson {
  kind: string;
  nodes: string[];
  summary: string;
}

const incidentsOf = async (a: AgentProcess) => (await a.get<{ incidents: IncidentJson[] }>('/v1/incidents')).body.incidents;

beforeAll(async () => {
  agents = agentsFor(lab(), { dir: mkdtempSync(join(tmpdir(), 'wdg-leader-')), config: { correlate: { quiet: '30s' } } });
  for (const a of agents) a.start();
  await Promise.all(agents.map((a) => a.ready()));
});

afterAll(async () => {
  await stopAgents(agents);
});

describe('leader election', () => {
  it('two minutes without a fault: no incident anywhere', async () => {
    await createService(lab(), { name: 'web', replicas: 10 });
    await sleep(120_000);
    for (const a of agents) expect(await incidentsOf(a), a.node.name).toEqual([]);
    const lines = agents.flatMap((a) => a.lines.filter((l) => l.code === 'WDG-INCIDENT-001'));
    expect(lines).toEqual([]);
  });

  it('cutting the leader off gives one leader-election incident, not one per node', async () => {
    const l = lab();
    const leader = await waitFor('the acting agent', () => actingAgent(agents), 30_000);
    expect(leader.node.name).toBe('node1');
    await l.cut('node1');
    const next = await waitFor('a new acting agent', async () => {
      const a = await actingAgent(agents);
      return a && a !== leader ? a : undefined;
    }, 60_000, 500);
    console.log(`new leader: ${next.node.name}`);
    await sleep(40_000);
    await l.heal('node1');
    await waitForNodeState(l, 'node1', 'ready', 90_000, next.node.name);

    const list = await waitFor('the election incident with the old leader\'s evidence', async () => {
      const all = await incidentsOf(next);
      return all.some((i) => i.kind === 'leader-election') ? all : undefined;
    }, 60_000, 1000);
    await sleep(15_000); // the old leader's backlog arrives from its agent after the heal
    const final = await incidentsOf(next);
    console.log(final.map((i) => `[${i.kind}] ${i.nodes.join(',')}: ${i.summary}`).join('\n'));
    expect(list.filter((i) => i.kind === 'leader-election')).toHaveLength(1);
    expect(final.filter((i) => i.kind === 'leader-election')).toHaveLength(1);
    expect(final.length).toBeLessThanOrEqual(2);
    for (const i of final.filter((x) => x.kind !== 'leader-election')) expect(i).toMatchObject({ kind: 'partition', nodes: ['node1'] });
  });
});
