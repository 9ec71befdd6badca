// The rebalancer on the in-memory swarm: runs under the governor's limits, and the recovery of moves
// nobody is finishing (a crash, a lost leadership) without touching a live run's move.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StateFile } from '../adapters/state-file.js';
import { createLogger } from '../log/logger.js';
import { FakeClock } from '../../test/support/fake-clock.js';
import { FakeSwarm } from '../../test/support/fake-swarm.js';
import { captureLog } from '../../test/support/log-capture.js';
import type { GovernorState } from './governor.js';
import { INTENT_LABEL, orphanAfterMs, readIntent, type Intent } from './intent.js';
import { Rebalancer, type RebalancerOptions } from './rebalancer.js';

const OPTS: RebalancerOptions = { serviceTimeoutMs: 30_000, dockerTimeoutMs: 2_000, maxInFlight: 2, node: 'node1', maxMoves: 100, movesWindowMs: 3_600_000, cooldownMs: 60_000 };
const ORPHAN = orphanAfterMs(OPTS.serviceTimeoutMs, OPTS.dockerTimeoutMs);

function setup() {
  const clock = new FakeClock(Date.parse('2026-01-01T00:00:00Z'));
  const swarm = new FakeSwarm(clock, [{ hostname: 'node1' }, { hostname: 'node2' }, { hostname: 'node3' }]);
  const out = captureLog();
  const store = new StateFile<GovernorState>(join(mkdtempSync(join(tmpdir(), 'wdg-rebalancer-')), 'rebalance.json'));
  const rebalancer = new Rebalancer(swarm, clock, createLogger({ destination: out.destination, level: 'debug' }), store, () => OPTS);
  const codes = () => out.lines.map((l) => l.code).filter(Boolean);
  return { clock, swarm, rebalancer, store, codes };
}

/** What a run that stopped between its scale-up and its scale-down leaves on the swarm. */
function interrupted(swarm: FakeSwarm, clock: FakeClock, name: string, intent: Partial<Intent>): Intent {
  const full: Intent = { planId: 'old', replicas: 6, k: 2, startedAt: new Date(clock.now()).toISOString(), by: 'node2', ...intent };
  swarm.edit(name, (s) => ({ ...s, Labels: { ...s.Labels, [INTENT_LABEL]: JSON.stringify(full) }, Mode: { Replicated: { Replicas: full.replicas + full.k } } }));
  return full;
}

describe('Rebalancer.run', () => {
  it('moves every unbalanced service, records it, and holds it back during the cooldown', async () => {
    const t = setup();
    t.swarm.createService('web', { node1: 3, node2: 3 });
    t.swarm.createService('api', { node1: 4, node2: 2 });
    const first = await t.clock.until(t.rebalancer.run('test'));
    expect(first.outcomes.map((o) => [o.service, o.moved, o.error])).toEqual(expect.arrayContaining([['web', 2, undefined], ['api', 2, undefined]]));
    expect(t.swarm.running('web')).toEqual({ node1: 2, node2: 2, node3: 2 });
    expect(t.swarm.running('api')).toEqual({ node1: 2, node2: 2, node3: 2 });
    expect(t.store.read()?.moves.reduce((n, m) => n + m.count, 0)).toBe(4);
    expect(t.codes().filter((c) => c === 'WDG-REBALANCE-002')).toHaveLength(2);


    // A restarted agent keeps the cooldowns: the same service unbalanced again is held back.
    const clock = t.clock;
    const swarm = new FakeSwarm(clock, [{ hostname: 'node1' }, { hostname: 'node2' }, { hostname: 'node3' }]);
    swarm.createService('web', { node1: 3, node2: 3 });
    const out = captureLog();
    const again = new Rebalancer(swarm, clock, createLogger({ destination: out.destination }), t.store, () => OPTS);
    const second = await clock.until(again.run('test again'));
    expect(second.outcomes).toEqual([]);
    expect(second.held).toEqual([{ service: 'web', reason: expect.stringMatching(/cooldown/) }]);
    expect(out.lines.map((l) => l.code)).toContain('WDG-REBALANCE-006');
    expect(swarm.writes).toEqual([]);
  });

  it('refuses a second run while one is under way', async () => {
    const t = setup();
    t.swarm.createService('web', { node1: 3, node2: 3 });
    const first = t.rebalancer.run('one');
    await expect(t.rebalancer.run('two')).rejects.toThrow(/already running/);
    await t.clock.until(first);
  });
});

describe('Rebalancer.recover', () => {
  it("leaves a young intent of another node to its owner, and finishes it once past the orphan age", async () => {
    const t = setup();
    t.swarm.createService('web', { node1: 3, node2: 3 });
    interrupted(t.swarm, t.clock, 'web', { by: 'node2' });
    await t.clock.advance(2000);
    const writes = t.swarm.writes.length;
    const which = () => ({ startedBefore: t.clock.now() - ORPHAN, by: 'node1' });
    expect(await t.clock.until(t.rebalancer.recover(which()))).toEqual([]);
    expect(t.swarm.writes.length).toBe(writes);

    await t.clock.advance(ORPHAN);
    expect(await t.clock.until(t.rebalancer.recover(which()))).toEqual(['web']);
    expect(t.swarm.spec('web').Mode?.Replicated?.Replicas).toBe(6);
    expect(t.swarm.spec('web').Labels?.[INTENT_LABEL]).toBeUndefined();
    expect(t.swarm.running('web')).toEqual({ node1: 2, node2: 2, node3: 2 });
    expect(t.codes()).toContain('WDG-REBALANCE-007');
  });

  it('finishes at once a young intent of this node that this process is not running (an earlier process crashed)', async () => {
    const t = setup();
    t.swarm.createService('web', { node1: 3, node2: 3 });
    interrupted(t.swarm, t.clock, 'web', { by: 'node1' });
    expect(await t.clock.until(t.rebalancer.recover({ startedBefore: t.clock.now() - ORPHAN, by: 'node1' }))).toEqual(['web']);
    expect(t.swarm.spec('web').Mode?.Replicated?.Replicas).toBe(6);
  });

  it("never touches the move this process is making", async () => {
    const t = setup();
    t.swarm.createService('web', { node1: 3, node2: 3 });
    t.swarm.startMs = 5_000;
    const run = t.rebalancer.run('test');
    await t.clock.advance(1000);
    expect(readIntent(t.swarm.spec('web').Labels)).toBeDefined();
    expect(await t.rebalancer.recover({ startedBefore: Infinity, by: 'node1' })).toEqual([]);
    const result = await t.clock.until(run);
    expect(result.outcomes[0]).toMatchObject({ moved: 2 });
    expect(t.swarm.writes.map((w) => w.replicas)).toEqual([8, 6]);
  });

  it("keeps an operator's count made after the crash and only removes the label", async () => {
    const t = setup();
    t.swarm.createService('web', { node1: 3, node2: 3 });
    interrupted(t.swarm, t.clock, 'web', { by: 'node1' });
    t.swarm.scale('web', 10);
    expect(await t.clock.until(t.rebalancer.recover({ startedBefore: 0, by: 'node1' }))).toEqual(['web']);
    expect(t.swarm.spec('web').Mode?.Replicated?.Replicas).toBe(10);
    expect(t.swarm.spec('web').Labels?.[INTENT_LABEL]).toBeUndefined();
    expect(t.codes()).toContain('WDG-REBALANCE-009');
  });
});
