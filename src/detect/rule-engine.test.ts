import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RuleEngine } from './rule-engine.js';
import { compileRules } from './rules.js';
import { loadRulesFile as loadRules } from './load-rules.js';
import { parseLogrusLine } from '../sources/logrus/parse.js';
import type { DaemonEntry, Signal } from './types.js';
import { CAPTURE_A, CAPTURE_A_NODES, captureLines, captureDir } from '../../test/fixtures/shared.js';

const shipped = loadRules();
const entry = (msg: string, fields: Record<string, string> = {}, more: Partial<DaemonEntry> = {}): DaemonEntry => ({
  node: 'node3', time: 1_000, level: 'info', msg, fields, ...more,
});

const NODE = '6kqqdrhr35xpr6nlxe6cnm6rv';
const NO_ROUTE = 'rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing dial tcp 10.213.0.11:2377: connect: no route to host"';

// One message per shipped rule, written from the upstream format string the rule's comment names.
// systemd's lines about the Docker unit (the readers set fields.UNIT on them)
const UNIT = { UNIT: 'docker.service' };
const UNIT_EXAMPLES: Record<string, [msg: string, fields: Record<string, string>, expected: Partial<Signal>]> = {
  'unit-stopping': ['Stopping docker.service - Docker Application Container Engine...', UNIT, { kind: 'daemon-stopping' }],
  'unit-stopped': ['Stopped Docker Application Container Engine.', UNIT, { kind: 'daemon-stopped' }],
  'unit-started': ['Started Docker Application Container Engine.', UNIT, { kind: 'daemon-started', clears: ['daemon-stopping', 'daemon-stopped'] }],
  'unit-main-exited': ['docker.service: Main process exited, code=killed, status=9/KILL', UNIT, { kind: 'daemon-stopped', detail: { code: 'killed', status: '9/KILL' } }],
  'unit-failed': ["docker.service: Failed with result 'signal'.", UNIT, { kind: 'daemon-stopped', detail: { result: 'signal' } }],
};

const EXAMPLES: Record<string, [msg: string, fields: Record<string, string>, expected: Partial<Signal>]> = {
  'heartbeat-failed': ['heartbeat to manager {rp1xpu01ga7esa0gylf9pwoqr 10.213.0.11:2377} failed', { error: 'rpc error: code = DeadlineExceeded desc = context deadline exceeded', 'node.id': NODE }, { errorClass: 'DeadlineExceeded', nodeId: NODE }],
  'session-failed': ['agent: session failed', { backoff: '8s', error: NO_ROUTE }, { errorClass: 'Unavailable', detail: { error: NO_ROUTE, backoff: '8s' } }],
  'session-new-manager': ['manager selected by agent for new session: {rp1xpu01ga7esa0gylf9pwoqr 10.213.0.11:2377}', {}, { detail: { manager: '{rp1xpu01ga7esa0gylf9pwoqr 10.213.0.11:2377}' } }],
  'session-registering': ['waiting 71.075651ms before registering session', {}, { detail: { delay: '71.075651ms' } }],
  'worker-registered': [`worker ${NODE} was successfully registered`, { method: '(*Dispatcher).register' }, { subject: NODE, subjectKind: 'node-id', clears: ['heartbeat-failed', 'session-failed', 'heartbeat-expired', 'session-dropped'] }],
  'dispatcher-starting': ['dispatcher starting', {}, { kind: 'dispatcher-started' }],
  'dispatcher-stopping': ['dispatcher stopping', {}, { kind: 'dispatcher-stopped' }],
  'heartbeat-expired-unknown': [`heartbeat expiration for node ${NODE} in state "unknown"`, {}, { kind: 'heartbeat-expired', subject: NODE }],
  'heartbeat-expired-worker': [`heartbeat expiration for worker ${NODE}, setting worker status to NodeStatus_DOWN `, {}, { kind: 'heartbeat-expired', subject: NODE }],
  'session-dropped': [`dispatcher session dropped, marking node ${NODE} down`, {}, { subject: NODE, subjectKind: 'node-id' }],
  'raft-became-follower': ['6a7b8c9d0e1f2a3b became follower at term 3', { module: 'raft' }, { kind: 'raft-follower', subject: '6a7b8c9d0e1f2a3b', detail: { term: '3' } }],
  'raft-became-candidate': ['6a7b became pre-candidate at term 4', {}, { kind: 'raft-candidate', detail: { pre: 'pre-', term: '4' } }],
  'raft-became-leader': ['6a7b became leader at term 4', {}, { kind: 'raft-leader', subject: '6a7b' }],
  'raft-leader-elected': ['raft.node: 1f2e elected leader 6a7b at term 4', {}, { subject: '6a7b', detail: { self: '1f2e', term: '4' } }],
  'raft-leader-lost': ['raft.node: 1f2e lost leader 6a7b at term 4', {}, { subject: '6a7b' }],
  'raft-leader-changed': ['raft.node: 1f2e changed leader from 6a7b to 3c4d at term 5', {}, { subject: '3c4d', detail: { self: '1f2e', from: '6a7b', term: '5' } }],
  'raft-stepped-down': ['6a7b stepped down to follower since quorum is not active', {}, { kind: 'raft-stepdown', subject: '6a7b' }],
  'gossip-suspect': ['memberlist: Suspect c5006b5f915a has failed, no acks received', {}, { subject: 'c5006b5f915a', subjectKind: 'gossip-id' }],
  'gossip-marked-failed': ['memberlist: Marking c5006b5f915a as failed, suspect timeout reached (0 peer confirmations)', {}, { kind: 'gossip-failed', detail: { confirmations: '0' } }],
  'gossip-node-failed': ['Node c5006b5f915a change state NodeActive --> NodeFailed', {}, { kind: 'gossip-failed', detail: { from: 'NodeActive' } }],
  'gossip-node-active': ['Node c5006b5f915a change state NodeFailed --> NodeActive', {}, { kind: 'gossip-active', subject: 'c5006b5f915a' }],
  'gossip-node-left': ['Node c5006b5f915a change state NodeActive --> NodeLeft', {}, { kind: 'gossip-left' }],
  'gossip-member-left': ['Node c5006b5f915a/10.213.0.13, left gossip cluster', {}, { kind: 'gossip-left', detail: { addr: '10.213.0.13' } }],
  'gossip-leave-event': ['node2(5ae84201f1a9): Node leave event for c5006b5f915a/10.213.0.13', {}, { kind: 'gossip-left', subject: 'c5006b5f915a', detail: { self: 'node2(5ae84201f1a9)', addr: '10.213.0.13' } }],
  'gossip-member-joined': ['Node c5006b5f915a/10.213.0.13, joined gossip cluster', {}, { kind: 'gossip-joined' }],
  'gossip-join-event': ['node2(5ae84201f1a9): Node join event for c5006b5f915a/10.213.0.13', {}, { kind: 'gossip-joined', subject: 'c5006b5f915a' }],
  'networkdb-unhealthy': ['NetworkDB stats node3(c5006b5f915a) - healthscore:2 (connectivity issues)', {}, { detail: { host: 'node3', self: 'c5006b5f915a', score: '2' } }],
  'bulk-sync-failed': ['bulk sync to node ffd0ccba8522 failed: failed to send a TCP message during bulk sync: dial tcp 10.213.0.11:7946: connect: no route to host', {}, { subject: 'ffd0ccba8522' }],
  'bulk-sync-timeout': ['Bulk sync to node ffd0ccba8522 timed out', {}, { kind: 'bulk-sync-failed', subject: 'ffd0ccba8522' }],
  'daemon-signal': ["Processing signal 'terminated'", {}, { kind: 'daemon-stopping', detail: { signal: 'terminated' } }],
  'daemon-forced-shutdown': ['Forcing docker daemon shutdown without cleanup; 3 interrupts received', {}, { kind: 'daemon-stopping' }],
  'daemon-shutdown-complete': ['Daemon shutdown complete', {}, { kind: 'daemon-stopped' }],
  'daemon-starting': ['Starting up', {}, { kind: 'daemon-started' }],
  'daemon-initialized': ['Daemon has completed initialization', {}, { kind: 'daemon-started', clears: ['daemon-stopping', 'daemon-stopped'] }],
  'daemon-api-listen': ['API listen on /var/run/docker.sock', {}, { kind: 'daemon-started', detail: { addr: '/var/run/docker.sock' } }],
  ...UNIT_EXAMPLES,
};

describe('the shipped rules on messages written from the upstream format strings', () => {
  it('has an example for every rule', () => {
    expect(shipped.rules.map((r) => r.id).filter((id) => !EXAMPLES[id])).toEqual([]);
  });

  for (const [id, [msg, fields, expected]] of Object.entries(EXAMPLES)) {
    it(id, () => {
      const signals = new RuleEngine(shipped).apply(entry(msg, fields));
      expect(signals.map((s) => s.rule)).toEqual([id]);
      expect(signals[0]).toMatchObject({ node: 'node3', time: 1_000, message: msg, ...expected });
    });
  }

  it('leaves near misses alone (the texts are anchored)', () => {
    const engine = new RuleEngine(shipped);
    for (const msg of ['agent: session failed twice', 'Processing signal \'hangup\'', 'Starting up containerd', 'Bulk sync to node x took 3ms', '[core] Channel Connectivity change to SHUTDOWN']) {
      expect(engine.apply(entry(msg)), msg).toEqual([]);
    }
  });
});

const captureA = captureDir(CAPTURE_A);
describe(`the shipped rules on the real capture ${CAPTURE_A}`, () => {
  const entries = CAPTURE_A_NODES.flatMap((node) =>
    captureLines(captureA!, `${node}.dockerd.log`).map((line) => {
      const p = parseLogrusLine(line);
      return { node, time: p.time!, level: p.level, msg: p.msg, fields: p.fields };
    }),
  );

  it('never skips a line its regex matches (the prefilter text is in every match)', () => {
    for (const rule of shipped.rules) {
      for (const e of entries) {
        if (!rule.msg?.test(e.msg)) continue;
        expect(e.msg.includes(rule.literal), `${rule.id}: ${e.msg}`).toBe(true);
        expect(e.msg.startsWith(rule.prefix), `${rule.id}: ${e.msg}`).toBe(true);
      }
    }
  });

  it('finds the partition on node3 and nothing but gossip on node1/node2 until the heal', () => {
    const engine = new RuleEngine(shipped);
    const signals = entries.flatMap((e) => engine.apply(e));
    const count = (node: string, kind: string) => signals.filter((s) => s.node === node && s.kind === kind).length;
    expect(count('node3', 'heartbeat-failed')).toBe(1);
    expect(count('node3', 'session-failed')).toBe(10);
    expect(signals.filter((s) => s.kind === 'session-failed').map((s) => s.errorClass)).toEqual(['DeadlineExceeded', ...Array(9).fill('Unavailable')]);
    expect(signals.filter((s) => s.node === 'node3' && s.kind.startsWith('session')).every((s) => s.nodeId === NODE)).toBe(true);
    const registered = signals.filter((s) => s.kind === 'worker-registered');
    expect(registered).toMatchObject([{ node: 'node1', subject: NODE, subjectKind: 'node-id' }]);
    expect(new Date(registered[0].time).toISOString()).toBe('2026-11-22T01:45:01.929Z');
    const kinds12 = new Set(signals.filter((s) => s.node !== 'node3' && s.kind !== 'worker-registered').map((s) => s.kind));
    expect([...kinds12].every((k) => k.startsWith('gossip-'))).toBe(true);
    // most lines are noise that must cost nothing: far fewer signals than lines
    expect(signals.length).toBeLessThan(entries.length / 2);
  });
});

describe('other log formats give the same signals', () => {
  const dir = join(dirname(fileURLToPath(import.meta.url)), '../../test/fixtures/formats');
  const run = (file: string) => {
    const engine = new RuleEngine(shipped);
    return readFileSync(join(dir, file), 'utf8').split('\n').filter(Boolean).flatMap((line) => {
      const p = parseLogrusLine(line);
      expect(p.raw, line).toBeUndefined();
      return engine.apply({ node: 'node3', time: p.time!, level: p.level, msg: p.msg, fields: p.fields });
    });
  };
  it('JSON and terminal form, as logrus text would', () => {
    const json = run('node3.head.json.log');
    const terminal = run('node3.head.terminal.log');
    expect(json.length).toBeGreaterThan(10);
    expect(json.map((s) => [s.rule, s.time, s.errorClass])).toEqual(terminal.map((s) => [s.rule, s.time, s.errorClass]));
    expect(json.find((s) => s.rule === 'session-failed')?.detail?.backoff).toBe('100000000'); // JSON: nanoseconds
    expect(terminal.find((s) => s.rule === 'session-failed')?.detail?.backoff).toBe('100ms');
  });
});

describe('RuleEngine matching', () => {
  const rules = (...r: unknown[]) => compileRules({ version: 1, rules: r });

  it('fires a count/within rule on the count-th match within the window, per node', () => {
    const engine = new RuleEngine(rules({ id: 'flaky', signal: 'bulk-sync-failed', match: { msg: '^bulk sync' }, count: 3, within: '10s' }));
    const at = (node: string, time: number) => engine.apply(entry('bulk sync x', {}, { node, time })).length;
    expect([at('a', 0), at('a', 4_000), at('b', 5_000), at('a', 9_000)]).toEqual([0, 0, 0, 1]);
    expect(at('a', 10_000)).toBe(1); // 4 s, 9 s, 10 s: still 3 within 10 s
    expect(at('a', 30_000)).toBe(0); // the window moved on
    expect([at('b', 6_000), at('b', 7_000)]).toEqual([0, 1]);
  });

  it('returns every rule an entry matches, in rules-file order, anchored or not', () => {
    const engine = new RuleEngine(
      rules(
        { id: 'anywhere', signal: 'gossip-left', match: { msg: 'left gossip' } },
        { id: 'anchored', signal: 'gossip-left', match: { msg: '^Node (?<subject>[^/]+)/' } },
        { id: 'by-field', signal: 'gossip-left', match: { fields: { module: 'x' } } },
      ),
    );
    expect(engine.apply(entry('Node a/1.2.3.4, left gossip cluster', { module: 'x' })).map((s) => s.rule)).toEqual(['anywhere', 'anchored', 'by-field']);
    expect(engine.apply(entry('node a/1.2.3.4', { module: 'y' }))).toEqual([]);
  });

  it('keeps count/within memory bounded', () => {
    const engine = new RuleEngine(rules({ id: 'flaky', signal: 'bulk-sync-failed', match: { msg: '^x' }, count: 2, within: '1m' }), { maxWindows: 2 });
    engine.apply(entry('x', {}, { node: 'a' }));
    engine.apply(entry('x', {}, { node: 'b' }));
    engine.apply(entry('x', {}, { node: 'c' })); // forgets a
    expect(engine.apply(entry('x', {}, { node: 'a' }))).toEqual([]);
    expect(engine.apply(entry('x', {}, { node: 'c' }))).toHaveLength(1);
  });

  it('checks levels and fields (exact and regex), and leaves errorClass out without the field', () => {
    const engine = new RuleEngine(
      rules({ id: 'f', signal: 'session-failed', match: { contains: 'session', fields: { module: 'node/agent', error: { regex: 'code = \\w+' } } }, level: ['error'], errorClass: 'error' }),
    );
    const fields = { module: 'node/agent', error: 'rpc error: code = Unavailable desc = x' };
    expect(engine.apply(entry('session', fields, { level: 'error' }))).toMatchObject([{ rule: 'f', errorClass: 'Unavailable' }]);
    expect(engine.apply(entry('session', fields, { level: 'info' }))).toEqual([]);
    expect(engine.apply(entry('session', { ...fields, module: 'node/agent/x' }, { level: 'error' }))).toEqual([]);
    expect(engine.apply(entry('session', { module: 'node/agent', error: 'plain' }, { level: 'error' }))).toEqual([]);
    const noError = new RuleEngine(rules({ id: 'g', signal: 'session-failed', match: { msg: 'x' }, errorClass: 'error' }));
    expect(noError.apply(entry('x'))[0].errorClass).toBeUndefined();
  });
});
