// The executor on the in-memory swarm: every path that leaves a service, and how it leaves it.
import { describe, expect, it } from 'vitest';
import { DockerTimeoutError, DockerUnavailableError, type DockerClient } from '../adapters/docker.js';
import { createLogger } from '../log/logger.js';
import { planRebalance } from '../rebalance/index.js';
import { FakeClock } from '../../test/support/fake-clock.js';
import { FakeSwarm } from '../../test/support/fake-swarm.js';
import { captureLog } from '../../test/support/log-capture.js';
import { moveService, type ExecOptions } from './executor.js';
import { INTENT_LABEL, readIntent, writeWindowMs } from './intent.js';

const total = (p: Record<string, number>) => Object.values(p).reduce((a, b) => a + b, 0);

function setup(placement: Record<string, number> = { node1: 3, node2: 3 }) {
  const clock = new FakeClock(Date.parse('2026-01-01T00:00:00Z'));
  const swarm = new FakeSwarm(clock, [{ hostname: 'node1' }, { hostname: 'node2' }, { hostname: 'node3' }]);
  swarm.createService('web', placement);
  const out = captureLog();
  const log = createLogger({ destination: out.destination, level: 'debug' });
  let min = Infinity;
  const sample = () => {
    min = Math.min(min, total(swarm.running('web')));
  };
  const opts: ExecOptions = { serviceTimeoutMs: 30_000, dockerTimeoutMs: 2_000, by: 'node1', planId: 'p1' };
  const move = async (docker: DockerClient = swarm) => {
    const plan = planRebalance(await swarm.snapshot(), { services: ['web'] }).services[0]!;
    expect(plan.skipped).toBeNull();
    return clock.until(moveService(docker, clock, log, plan, opts));
  };
  return { clock, swarm, log: out.lines, move, opts, sample, min: () => min };
}

const codes = (lines: Record<string, unknown>[]) => lines.map((l) => l.code).filter(Boolean);

describe('moveService', () => {
  it('3/3/0 → 2/2/2 with one +2/−2 step, never below 6 running, the rest of the spec kept', async () => {
    const t = setup();
    t.swarm.fault = () => t.sample();
    const outcome = await t.move();
    expect(outcome.error).toBeUndefined();
    expect(outcome.moved).toBe(2);
    expect(t.swarm.running('web')).toEqual({ node1: 2, node2: 2, node3: 2 });
    expect(Object.values(outcome.after).sort()).toEqual([2, 2, 2]);
    expect(t.min()).toBe(6);
    const spec = t.swarm.spec('web');
    expect(spec.Mode?.Replicated?.Replicas).toBe(6);
    expect(spec.Labels?.[INTENT_LABEL]).toBeUndefined();
    expect(spec.UpdateConfig).toEqual({ Parallelism: 1, Order: 'start-first' });
    expect(t.swarm.writes.map((w) => w.replicas)).toEqual([8, 6]);
    expect(readIntent(t.swarm.writes[0]!.labels)).toMatchObject({ replicas: 6, k: 2, by: 'node1', planId: 'p1' });
  });

  it('someone writes between our read and our scale-up: out of sequence, we back off and write nothing', async () => {
    const t = setup();
    t.swarm.fault = (call) => {
      if (call === 'updateService' && !t.swarm.writes.some((w) => w.by === 'operator')) t.swarm.scale('web', 7);
    };
    const outcome = await t.move();
    expect(outcome).toMatchObject({ moved: 0, code: 'WDG-REBALANCE-004' });
    expect(outcome.error).toMatch(/out of sequence/);
    expect(t.swarm.writes.filter((w) => w.by === 'client')).toEqual([]);
    expect(t.swarm.spec('web').Mode?.Replicated?.Replicas).toBe(7);
  });

  it('an unrelated write before the scale-down: re-read and scale down at the new version', async () => {
    const t = setup();
    let poked = false;
    t.swarm.fault = (call) => {
      const up = t.swarm.writes.some((w) => w.replicas === 8);
      if (call === 'updateService' && up && !poked) {
        poked = true;
        t.swarm.edit('web', (s) => ({ ...s, Labels: { ...s.Labels, team: 'a' } })); // replicas unchanged
      }
    };
    const outcome = await t.move();
    expect(outcome.error).toBeUndefined();
    expect(outcome.moved).toBe(2);
    const spec = t.swarm.spec('web');
    expect(spec.Mode?.Replicated?.Replicas).toBe(6);
    expect(spec.Labels).toMatchObject({ team: 'a' });
    expect(spec.Labels?.[INTENT_LABEL]).toBeUndefined();
  });

  it.each([10, 1])('an operator scales to %i mid-move: their count stays, only our label goes (WDG-REBALANCE-009)', async (n) => {
    const t = setup();
    t.swarm.startMs = 5_000;
    t.swarm.fault = (call) => {
      if (call === 'serviceTasks' && !t.swarm.writes.some((w) => w.by === 'operator')) t.swarm.scale('web', n);
    };
    const outcome = await t.move();
    expect(outcome.code).not.toBeUndefined();
    const spec = t.swarm.spec('web');
    expect(spec.Mode?.Replicated?.Replicas).toBe(n);
    expect(spec.Labels?.[INTENT_LABEL]).toBeUndefined();
    expect(codes(t.log)).toContain('WDG-REBALANCE-009');
    expect(t.swarm.writes.at(-1)).toMatchObject({ by: 'client', replicas: n });
  });

  it('our label removed by a deploy mid-move: nothing more is written', async () => {
    const t = setup();
    t.swarm.startMs = 5_000;
    t.swarm.fault = (call) => {
      if (call !== 'serviceTasks' || t.swarm.writes.some((w) => w.by === 'operator')) return;
      t.swarm.edit('web', (s) => ({ ...s, Labels: {} }));
    };
    const outcome = await t.move();
    expect(outcome.code).toBe('WDG-REBALANCE-004');
    expect(outcome.error).toMatch(/label is not on the service/);
    expect(t.swarm.writes.map((w) => w.by)).toEqual(['client', 'operator']);
  });

  it('new tasks never run: after serviceTimeout the original replicas are restored (WDG-REBALANCE-005)', async () => {
    const t = setup();
    t.swarm.startMs = Infinity;
    const outcome = await t.move();
    expect(outcome).toMatchObject({ moved: 0, code: 'WDG-REBALANCE-005' });
    expect(outcome.error).toMatch(/did not run within 30 s.*restored 6 replicas/);
    expect(t.swarm.spec('web').Mode?.Replicated?.Replicas).toBe(6);
    expect(t.swarm.spec('web').Labels?.[INTENT_LABEL]).toBeUndefined();
  });

  it('a Docker timeout while polling: restored at once with the same checks, not left at r+k', async () => {
    const t = setup();
    let polls = 0;
    t.swarm.fault = (call) => {
      if (call === 'serviceTasks' && ++polls === 2) throw new DockerTimeoutError('docker: task list failed: no answer within 2000 ms (timed out)');
    };
    const outcome = await t.move();
    expect(outcome).toMatchObject({ moved: 0, code: 'WDG-REBALANCE-003' });
    expect(outcome.error).toMatch(/timed out.*restored 6 replicas/);
    const spec = t.swarm.spec('web');
    expect(spec.Mode?.Replicated?.Replicas).toBe(6);
    expect(spec.Labels?.[INTENT_LABEL]).toBeUndefined();
  });

  it('a scale-up write that timed out but landed is restored; one that did not land leaves nothing to do', async () => {
    for (const landed of [true, false]) {
      const t = setup();
      const docker: DockerClient = Object.create(t.swarm);
      let first = true;
      docker.updateService = async (id, version, spec) => {
        if (first) {
          first = false;
          if (landed) await t.swarm.updateService(id, version, spec);
          throw new DockerTimeoutError('docker: service update: no answer within 2000 ms (timed out)');
        }
        return t.swarm.updateService(id, version, spec);
      };
      const outcome = await t.move(docker);
      expect(outcome.code).toBe('WDG-REBALANCE-003');
      expect(outcome.error).toMatch(landed ? /restored 6 replicas/ : /label is not on the service/);
      expect(t.swarm.spec('web').Mode?.Replicated?.Replicas).toBe(6);
      expect(t.swarm.spec('web').Labels?.[INTENT_LABEL]).toBeUndefined();
      expect(t.swarm.writes.length).toBe(landed ? 2 : 0);
    }
  });

  it('Docker gone after the scale-up: the label stays for the acting agent, and the message says so', async () => {
    const t = setup();
    t.swarm.fault = () => {
      if (t.swarm.writes.length) throw new DockerUnavailableError('docker: connect ENOENT');
    };
    const outcome = await t.move();
    expect(outcome.code).toBe('WDG-REBALANCE-003');
    expect(outcome.error).toMatch(/could not restore.*the intent label stays/);
    t.swarm.fault = undefined;
    expect(readIntent(t.swarm.spec('web').Labels)).toMatchObject({ replicas: 6, k: 2 });
  });

  it('never writes past its write window: a restore that would come too late leaves the label to the acting agent', async () => {
    const t = setup();
    t.swarm.startMs = Infinity;
    let hung = false;
    // One task poll that takes longer than the whole window (a call that outlived docker.timeout).
    t.swarm.fault = async (call) => {
      if (call === 'serviceTasks' && !hung) {
        hung = true;
        await new Promise<void>((r) => t.clock.setTimeout(r, writeWindowMs(t.opts.serviceTimeoutMs, t.opts.dockerTimeoutMs) + 1));
      }
    };
    const outcome = await t.move();
    expect(outcome.error).toMatch(/past this run's write window; the intent label stays/);
    const intent = readIntent(t.swarm.spec('web').Labels)!;
    expect(intent).toMatchObject({ replicas: 6, k: 2 });
    const windowEnd = Date.parse(intent.startedAt) + writeWindowMs(t.opts.serviceTimeoutMs, t.opts.dockerTimeoutMs);
    expect(t.swarm.writes.filter((w) => w.by === 'client').every((w) => w.at < windowEnd)).toBe(true);
    expect(t.swarm.writes).toHaveLength(1);
  });
});
