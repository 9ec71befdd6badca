// Detection on the real lab: one agent per node follows its dockerd's lines in the real journal.
// A cut worker's own agent reports the partition within 2 s of the first heartbeat failure reaching
// the journal, and a SIGKILL in the middle of the partition loses or repeats no journal entry.
import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { journalText, sleep } from '../lab/lab.js';
import { useLab } from '../lab/use-lab.js';
import { createService, waitForNodeState } from '../lab/swarm.js';
import { agentsFor, type AgentProcess, type LogLine } from '../support/agents.js';

const lab = useLab({ nodes: 3, managers: 1 });
let agents: AgentProcess[] = [];

afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop()));
  for (const a of agents) console.log(`agent log: ${a.dump()}`);
});

const byCode = (code: string, extra: (l: LogLine) => boolean = () => true) => (l: LogLine) => l.code === code && extra(l);

describe('detect on the lab', () => {
  it('reports a worker partition from its own journal, and handles every entry exactly once across a SIGKILL', async () => {
    const l = lab();
    const dir = mkdtempSync(join(tmpdir(), 'wdg-detect-'));
    agents = agentsFor(l, { dir });
    for (const a of agents) a.start();
    await Promise.all(agents.map((a) => a.ready()));
    await createService(l, { name: 'web', replicas: 6 });
    const node3 = agents[2];

    const cutAt = Date.now();
    await l.cut('node3');
    const lost = await node3.waitForLine('node3 session lost', byCode('WDG-DETECT-001'), 60_000);
    const opened = await node3.waitForLine('partition incident on node3', byCode('WDG-INCIDENT-001', (x) => x.kind === 'partition'), 10_000);
    expect(opened.nodes).toEqual(['node3']);

    // Latency: from the first heartbeat failure reaching the journal to the agent's line.
    const entries = await l.journal('node3');
    const first = entries.find((e) => Number(e.__REALTIME_TIMESTAMP) / 1000 >= cutAt && journalText(e.MESSAGE).includes('heartbeat to manager'));
    expect(first).toBeDefined();
    const reachedJournal = Number(first!.__REALTIME_TIMESTAMP) / 1000;
    for (const line of [lost, opened]) {
      const latency = Date.parse(String(line.time)) - reachedJournal;
      console.log(`${line.code} ${latency} ms after the first heartbeat failure reached the journal`);
      expect(latency).toBeLessThan(2000);
    }

    // SIGKILL node3's agent in the middle of the partition, then start it again.
    await sleep(3000);
    await node3.stop('SIGKILL');
    await sleep(2000);
    const restartedAt = node3.lines.length;
    node3.start(); // its HTTP is cut off with its node: watch its log instead
    await node3.waitForLine('resumed after the saved cursor', byCode('WDG-JOURNAL-007', (x) => typeof x.cursor === 'string'), 20_000, restartedAt);

    await waitForNodeState(l, 'node3', 'down', 60_000);
    await l.heal('node3');
    await waitForNodeState(l, 'node3', 'ready', 60_000);
    await node3.waitForLine('node3 session back', (x) => x.code === 'WDG-DETECT-002' || (x.code === 'WDG-INCIDENT-003' && x.kind === 'partition'), 90_000);

    // No partition is claimed for node1 or node2 from their gossip noise.
    for (const a of agents) {
      const claimed = a.lines.filter((x) => x.code === 'WDG-INCIDENT-001' && Array.isArray(x.nodes) && (x.nodes as string[]).some((n) => n !== 'node3'));
      expect(claimed, `${a.node.name}: ${JSON.stringify(claimed)}`).toEqual([]);
    }

    // Exactly once: stop gracefully (the state is saved), then compare with journalctl's own count
    // up to the saved cursor.
    for (const a of agents) {
      await a.stop('SIGTERM');
      const state = JSON.parse(readFileSync(join(a.stateDir, 'agent-state.json'), 'utf8')) as { firstCursor: string; cursor: string; handled: number };
      const all = await l.journal(a.node.name);
      const first = all.findIndex((e) => e.__CURSOR === state.firstCursor);
      const last = all.findIndex((e) => e.__CURSOR === state.cursor);
      expect(first, `${a.node.name}: first cursor found in the journal`).toBeGreaterThanOrEqual(0);
      expect(last, `${a.node.name}: saved cursor found in the journal`).toBeGreaterThan(first);
      console.log(`${a.node.name}: agent handled ${state.handled}, journalctl counts ${last - first + 1}`);
      expect(state.handled).toBe(last - first + 1);
    }
  });
});
