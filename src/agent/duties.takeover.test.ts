// The acting agent's take-over of moves left on services (issue 13 item 5): it never finishes
// another run's live move, finishes it once no live run can still write it, and at once finishes one
// a crashed process of its own node left.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INTENT_LABEL, orphanAfterMs, type Intent } from '../act/intent.js';
import { parseConfig } from '../config/load.js';
import { createLogger } from '../log/logger.js';
import { Health } from '../operate/health.js';
import { Metrics } from '../operate/metrics.js';
import { FakeClock } from '../../test/support/fake-clock.js';
import { FakeSwarm } from '../../test/support/fake-swarm.js';
import { captureLog } from '../../test/support/log-capture.js';
import { Duties } from './duties.js';

async function setup(by: string) {
  const clock = new FakeClock(Date.parse('2026-01-01T00:00:00Z'));
  const swarm = new FakeSwarm(clock, [{ hostname: 'node1' }, { hostname: 'node2' }, { hostname: 'node3' }]);
  swarm.createService('web', { node1: 3, node2: 3 });
  const intent: Intent = { planId: 'p', replicas: 6, k: 2, startedAt: new Date(clock.now()).toISOString(), by };
  swarm.edit('web', (s) => ({ ...s, Labels: { [INTENT_LABEL]: JSON.stringify(intent) }, Mode: { Replicated: { Replicas: 8 } } }));
  await clock.advance(1000);
  const stateDir = mkdtempSync(join(tmpdir(), 'wdg-duties-'));
  const config = parseConfig(`node: node1\nstateDir: ${stateDir}\nrebalance:\n  serviceTimeout: 30s\ndocker:\n  timeout: 2s\n`, 'test.yml', {});
  const out = captureLog();
  const duties = new Duties({
    config: () => config, docker: swarm, clock, log: createLogger({ destination: out.destination, level: 'debug' }), metrics: new Metrics(), health: new Health(),
    incidents: () => [], sessionLostSince: () => undefined,
  });
  const local = { nodeId: swarm.nodeId('node1'), hostname: 'node1', isManager: true, isLeader: true };
  /** One reconcile of the acting agent, and what the take-over it may start does. */
  const reconcile = async () => {
    duties.reconciled(local, await swarm.snapshot());
    await clock.advance(5000);
  };
  const orphanAge = orphanAfterMs(config.rebalance.serviceTimeout, config.docker.timeout);
  return { clock, swarm, reconcile, orphanAge, duties, codes: () => out.lines.map((l) => l.code) };
}

describe('Duties: taking over moves left on services', () => {
  it("another node's live move is left alone until no live run can still write it, then finished", async () => {
    const t = await setup('node2');
    await t.reconcile();
    expect(t.swarm.writes.filter((w) => w.by === 'client')).toEqual([]);
    await t.clock.advance(t.orphanAge - 10_000);
    await t.reconcile();
    expect(t.swarm.writes.filter((w) => w.by === 'client')).toEqual([]);
    await t.clock.advance(10_000);
    await t.reconcile();
    expect(t.swarm.writes.filter((w) => w.by === 'client').map((w) => w.replicas)).toEqual([6]);
    expect(t.swarm.spec('web').Labels?.[INTENT_LABEL]).toBeUndefined();
    expect(t.codes()).toContain('WDG-REBALANCE-007');
    t.duties.stop();
  });

  it("a move of this node's earlier process is finished at once", async () => {
    const t = await setup('node1');
    await t.reconcile();
    expect(t.swarm.spec('web').Mode?.Replicated?.Replicas).toBe(6);
    expect(t.swarm.spec('web').Labels?.[INTENT_LABEL]).toBeUndefined();
    t.duties.stop();
  });
});
