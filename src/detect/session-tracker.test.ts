import { describe, it, expect } from 'vitest';
import { SessionTracker, type SessionChange } from './session-tracker.js';
import { RuleEngine } from './rule-engine.js';
import { loadRulesFile as loadRules } from './load-rules.js';
import { parseLogrusLine } from '../sources/logrus/parse.js';
import type { Signal, SignalKind } from './types.js';
import { CAPTURE_A, CAPTURE_A_NODES, captureLines, captureDir } from '../../test/fixtures/shared.js';

const ID3 = '6kqqdrhr35xpr6nlxe6cnm6rv';
const sig = (kind: SignalKind, node: string, time: number, more: Partial<Signal> = {}): Signal => ({
  node, time, kind, rule: kind, message: kind, ...more,
});
const failure = (time: number, errorClass = 'Unavailable') => sig('session-failed', 'node3', time, { nodeId: ID3, errorClass });
const registered = (time: number, subject = ID3) =>
  sig('worker-registered', 'node1', time, { subject, subjectKind: 'node-id', clears: ['heartbeat-failed', 'session-failed'] });

describe('SessionTracker', () => {
  it('goes session-lost on the first failure and counts the rest', () => {
    const s = new SessionTracker();
    expect(s.apply(failure(1_000, 'DeadlineExceeded'))).toMatchObject({ node: 'node3', from: 'connected', to: 'session-lost', at: 1_000, reason: 'failure' });
    expect(s.apply(failure(2_000))).toBeUndefined();
    expect(s.get('node3')).toMatchObject({ state: 'session-lost', since: 1_000, failures: 2, lastErrorClass: 'Unavailable', lastEvidenceAt: 2_000, nodeId: ID3 });
  });

  it("recovers when the manager registers the node's id again", () => {
    const s = new SessionTracker();
    s.apply(failure(1_000));
    expect(s.apply(registered(9_000))).toMatchObject({ node: 'node3', to: 'recovered', at: 9_000, reason: 'evidence', rule: 'worker-registered' });
    expect(s.get('node3')).toMatchObject({ state: 'recovered', recoveredAt: 9_000, failures: 1 });
    expect(s.get('node1').state).toBe('connected');
  });

  it('recovers on gossip coming back in its own log, not on gossip in the others', () => {
    const s = new SessionTracker();
    s.apply(failure(1_000));
    const active = (node: string, t: number) => sig('gossip-active', node, t, { subject: 'ffd0ccba8522', subjectKind: 'gossip-id', clears: ['gossip-failed', 'session-failed'] });
    expect(s.apply(active('node1', 5_000))).toBeUndefined();
    expect(s.get('node3').state).toBe('session-lost');
    expect(s.apply(active('node3', 6_000))).toMatchObject({ to: 'recovered', at: 6_000 });
  });

  it('keeps a manager line about a node it cannot name yet under the id, and moves it once the id is known', () => {
    const s = new SessionTracker({ failureKinds: ['session-failed', 'session-dropped'] });
    expect(s.apply(sig('session-dropped', 'node1', 1_000, { subject: ID3, subjectKind: 'node-id' }))).toMatchObject({ node: ID3, to: 'session-lost' });
    s.apply(sig('session-new-manager', 'node3', 2_000, { nodeId: ID3 }));
    expect(s.nodeName(ID3)).toBe('node3');
    expect(s.all().map((h) => h.node)).toEqual(['node3']);
    expect(s.get('node3')).toMatchObject({ state: 'session-lost', nodeId: ID3 });
    expect(s.apply(registered(3_000))).toMatchObject({ node: 'node3', to: 'recovered' });
  });

  it('does not let a failure read late (older than the recovery) undo it, but a new one does', () => {
    const s = new SessionTracker();
    s.apply(failure(1_000));
    s.apply(registered(9_000));
    expect(s.apply(failure(8_000))).toBeUndefined();
    expect(s.get('node3').state).toBe('recovered');
    expect(s.apply(failure(10_000))).toMatchObject({ from: 'recovered', to: 'session-lost', at: 10_000 });
    expect(s.get('node3').failures).toBe(3);
    expect(s.apply(registered(9_500))).toBeUndefined(); // evidence older than the last failure
  });

  it('clears by itself: recovered after a quiet period, connected after another, failures reset', () => {
    const s = new SessionTracker({ recoverAfter: 30_000, connectedAfter: 60_000 });
    s.apply(failure(1_000));
    s.apply(failure(5_000));
    expect(s.tick(34_999)).toEqual([]);
    expect(s.tick(35_000)).toMatchObject([{ node: 'node3', from: 'session-lost', to: 'recovered', at: 35_000, reason: 'quiet' }]);
    expect(s.tick(94_999)).toEqual([]);
    const [change] = s.tick(200_000);
    expect(change).toMatchObject({ to: 'connected', at: 95_000, reason: 'quiet', session: { failures: 0, recoveredAt: 35_000 } });
    expect(s.get('node3')).toMatchObject({ state: 'connected', since: 95_000, failures: 0 });
    expect(s.get('node3').lastErrorClass).toBeUndefined();
    // a new episode counts from one
    s.apply(failure(300_000));
    expect(s.get('node3').failures).toBe(1);
  });

  it('does both quiet steps in one late tick, each at its own time', () => {
    const s = new SessionTracker({ recoverAfter: 10, connectedAfter: 20 });
    s.apply(failure(100));
    expect(s.tick(1_000).map((c: SessionChange) => [c.to, c.at])).toEqual([['recovered', 110], ['connected', 130]]);
  });

  it('answers connected for a node never seen and forgets the least recently seen past maxNodes', () => {
    const s = new SessionTracker({ maxNodes: 2 });
    expect(s.get('nodeX')).toEqual({ node: 'nodeX', state: 'connected', since: 0, failures: 0, lastEvidenceAt: 0 });
    for (const n of ['a', 'b', 'c']) s.apply(sig('gossip-suspect', n, 1));
    expect(s.all().map((h) => h.node)).toEqual(['b', 'c']);
  });
});

const captureA = captureDir(CAPTURE_A);
describe(`replaying the real capture ${CAPTURE_A}`, () => {
  const engine = new RuleEngine(loadRules());
  const signals = CAPTURE_A_NODES.flatMap((node) =>
    captureLines(captureA!, `${node}.dockerd.log`).flatMap((line) => {
      const p = parseLogrusLine(line);
      return engine.apply({ node, time: p.time!, level: p.level, msg: p.msg, fields: p.fields });
    }),
  ).sort((a, b) => a.time - b.time);
  const at = (iso: string) => Date.parse(iso);

  function replay(keep: (s: Signal) => boolean) {
    const states = new SessionTracker();
    const changes: SessionChange[] = [];
    for (const s of signals.filter(keep)) {
      changes.push(...states.tick(s.time));
      const c = states.apply(s);
      if (c) changes.push(c);
    }
    return { states, changes };
  }

  it('node3 is session-lost from 01:44:28.2 and recovered by 01:45:02; node1 and node2 stay connected', () => {
    const { states, changes } = replay(() => true);
    expect(changes.every((c) => c.node === 'node3')).toBe(true);
    expect(changes[0]).toMatchObject({ from: 'connected', to: 'session-lost', rule: 'heartbeat-failed', session: { lastErrorClass: 'DeadlineExceeded' } });
    expect(changes[0].at).toBeCloseTo(at('2026-11-22T01:44:28.228Z'), -1);
    expect(changes[1]).toMatchObject({ from: 'session-lost', to: 'recovered' });
    expect(changes[1].at).toBeGreaterThanOrEqual(at('2026-11-22T01:44:56.672Z'));
    expect(changes[1].at).toBeLessThanOrEqual(at('2026-11-22T01:45:02Z'));
    expect(changes).toHaveLength(2);
    expect(states.get('node3')).toMatchObject({ state: 'recovered', failures: 11, lastErrorClass: 'Unavailable', nodeId: ID3 });
    for (const n of ['node1', 'node2']) expect(states.get(n).state).toBe('connected');
    expect(states.tick(at('2026-11-22T01:47:00Z'))).toMatchObject([{ node: 'node3', to: 'connected' }]);
  });

  it("with the manager's log alone as evidence, recovery is the re-registration at 01:45:01.929", () => {
    const { changes } = replay((s) => !s.kind.startsWith('gossip-'));
    expect(changes.map((c) => [c.to, c.rule])).toEqual([['session-lost', 'heartbeat-failed'], ['recovered', 'worker-registered']]);
    expect(new Date(changes[1].at).toISOString()).toBe('2026-11-22T01:45:01.929Z');
  });

  it("with node3's own log alone, recovery comes from its gossip, or else from the quiet period", () => {
    const own = replay((s) => s.node === 'node3').changes;
    expect(new Date(own[1].at).toISOString()).toBe('2026-11-22T01:44:57.501Z');
    const states = new SessionTracker({ recoverAfter: 30_000 });
    for (const s of signals.filter((x) => x.node === 'node3' && !x.kind.startsWith('gossip-'))) states.apply(s);
    const [quiet] = states.tick(at('2026-11-22T01:46:00Z'));
    expect(quiet).toMatchObject({ to: 'recovered', reason: 'quiet' });
    expect(new Date(quiet.at).toISOString()).toBe('2026-11-22T01:45:26.672Z'); // last failure 01:44:56.672 + 30 s
  });
});
