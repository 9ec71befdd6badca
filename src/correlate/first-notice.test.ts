// The first notice on the real captures, seen as the acting agent sees them: node1's (the leader's)
// own daemon lines, one at a time, with the clock at each line's time.
import { describe, expect, it } from 'vitest';
import { CAPTURE_A, captureDir, captureLines } from '../../test/fixtures/shared.js';
import { parseLogrusLine } from '../sources/logrus/parse.js';
import { RuleEngine } from '../detect/rule-engine.js';
import { loadRulesFile as loadRules } from '../detect/load-rules.js';
import { FirstNotice, nodeAddress, type NoticeEvent } from './first-notice.js';

const rules = new RuleEngine(loadRules());
const A_NODES = [
  { name: 'node1', addr: '10.213.0.11', state: 'ready' },
  { name: 'node2', addr: '10.213.0.12', state: 'ready' },
  { name: 'node3', addr: '10.213.0.13', state: 'ready' },
];

/** Replays one node's capture into a FirstNotice, ticking every 100 ms of log time. */
function replay(capture: string, file: string, hold: number, nodes = A_NODES, until?: number): NoticeEvent[] {
  const n = new FirstNotice(hold);
  n.setNodes(nodes);
  const out: NoticeEvent[] = [];
  let clock = 0;
  for (const line of captureLines(captureDir(capture), file)) {
    const p = parseLogrusLine(line);
    if (p.time === undefined) continue;
    if (until !== undefined && p.time > until) break;
    for (clock ||= p.time; clock < p.time; clock += 100) out.push(...n.tick(clock));
    for (const signal of rules.apply({ node: 'node1', time: p.time, level: p.level, msg: p.msg, fields: p.fields, raw: p.raw })) out.push(...n.signal(signal, p.time));
  }
  return out;
}

describe('first notice', () => {
  it('capture A: node3 unreachable 3 s after node1 first suspected it, back when gossip sees it again', () => {
    const events = replay(CAPTURE_A, 'node1.dockerd.log', 3000);
    const at = (iso: string) => Date.parse(iso);
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ type: 'unreachable', node: 'node3' });
    expect(Math.floor(events[0]!.since)).toBe(at('2026-11-22T01:44:25.166Z'));
    // cut at 01:44:21, Down between :31 and :36: the notice comes at :28.2, before either
    expect(events[0]!.at).toBeGreaterThanOrEqual(at('2026-11-22T01:44:28.166Z'));
    expect(events[0]!.at).toBeLessThan(at('2026-11-22T01:44:28.300Z'));
    expect(events[1]).toMatchObject({ type: 'back', node: 'node3' });
    expect(Math.floor(events[1]!.at)).toBe(at('2026-11-22T01:44:57.501Z'));
  });

  it('capture A: nothing once Swarm has marked the node Down first (the incident speaks)', () => {
    const n = new FirstNotice(3000);
    n.setNodes(A_NODES.map((x) => (x.name === 'node3' ? { ...x, state: 'down' } : x)));
    let events: NoticeEvent[] = [];
    for (const line of captureLines(captureDir(CAPTURE_A), 'node1.dockerd.log')) {
      const p = parseLogrusLine(line);
      if (p.time === undefined) continue;
      for (const s of rules.apply({ node: 'node1', time: p.time, level: p.level, msg: p.msg, fields: p.fields })) events = [...events, ...n.signal(s, p.time), ...n.tick(p.time + 3000)];
    }
    expect(events).toEqual([]);
  });

  it('a daemon restart (graceful NodeLeft) gives no notice', () => {
    // restart/: node2's dockerd stopped with SIGTERM and started again; node1's view. Addresses from its lines.
    const lines = captureLines(captureDir('restart'), 'node1.dockerd.log');
    const addrs = [...new Set(lines.flatMap((l) => [...l.matchAll(/Node \w+\/(\d+\.\d+\.\d+\.\d+)/g)].map((m) => m[1]!)))];
    expect(addrs.length).toBeGreaterThan(0);
    const nodes = addrs.map((addr, k) => ({ name: `node${k + 1}`, addr, state: 'ready' }));
    expect(replay('restart', 'node1.dockerd.log', 3000, nodes)).toEqual([]);
  });

  it('a failure shorter than the hold gives no notice; one longer gives exactly one', () => {
    const sig = (kind: 'gossip-suspect' | 'gossip-failed' | 'gossip-left' | 'gossip-active', t: number, addr?: string) => ({
      node: 'node1', time: t, rule: kind, kind, message: kind, subject: 'abc123def456', subjectKind: 'gossip-id' as const, ...(addr ? { detail: { addr } } : {}),
    });
    const n = new FirstNotice(3000);
    n.setNodes(A_NODES);
    const t0 = 1_000_000;
    expect([...n.signal(sig('gossip-suspect', t0), t0), ...n.signal(sig('gossip-failed', t0 + 2000), t0 + 2000), ...n.signal(sig('gossip-left', t0 + 2000, '10.213.0.13'), t0 + 2000)]).toEqual([]);
    expect(n.tick(t0 + 2900)).toEqual([]);
    expect(n.nextDue()).toBe(t0 + 3000);
    expect(n.signal(sig('gossip-active', t0 + 2950), t0 + 2950)).toEqual([]);
    expect(n.tick(t0 + 10_000)).toEqual([]); // came back within the hold: nothing, ever
    n.signal(sig('gossip-failed', t0 + 20_000), t0 + 20_000);
    expect(n.tick(t0 + 23_000)).toEqual([{ type: 'unreachable', node: 'node3', since: t0 + 20_000, at: t0 + 23_000 }]);
    expect(n.tick(t0 + 24_000)).toEqual([]);
    // a replayed journal's old failure is history
    const old = new FirstNotice(3000);
    old.setNodes(A_NODES);
    old.signal(sig('gossip-left', t0, '10.213.0.13'), t0);
    old.signal(sig('gossip-failed', t0), t0 + 60_000);
    expect(old.tick(t0 + 65_000)).toEqual([]);
  });

  it('reads a manager\'s address from ManagerStatus when Status.Addr is 0.0.0.0', () => {
    expect(nodeAddress({ Status: { Addr: '0.0.0.0' }, ManagerStatus: { Addr: '10.0.0.1:2377' } })).toBe('10.0.0.1');
    expect(nodeAddress({ Status: { Addr: '10.0.0.2' } })).toBe('10.0.0.2');
  });
});
