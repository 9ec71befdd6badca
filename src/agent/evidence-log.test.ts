import { describe, expect, it } from 'vitest';
import type { Observation } from '../correlate/types.js';
import { EvidenceLog, Watermarks } from './evidence-log.js';

const sig = (n: number): Observation => ({ type: 'signal', signal: { node: 'node3', time: n, rule: 'heartbeat-failed', kind: 'heartbeat-failed', message: `line ${n}` } });

describe('evidence log and watermarks', () => {
  it('delivers every signal exactly once across pulls, restarts and replays', () => {
    const log = new EvidenceLog(100);
    for (let i = 1; i <= 5; i++) log.append(sig(i));
    const marks = new Watermarks();
    const first = marks.take('node3', log.after(marks.get('node3')).items);
    expect(first.map((i) => (i.obs.type === 'signal' ? i.obs.signal.time : 0))).toEqual([1, 2, 3, 4, 5]);

    // The peer crashes after signal 7 but its checkpoint holds only up to 5: the replay renumbers 6, 7 the same way.
    const checkpoint = log.toState();
    log.append(sig(6));
    log.append(sig(7));
    expect(marks.take('node3', log.after(marks.get('node3')).items).map((i) => i.seq)).toEqual([6, 7]);
    const replayed = EvidenceLog.fromState(structuredClone(checkpoint), 100);
    replayed.append(sig(6));
    replayed.append(sig(7));
    replayed.append(sig(8));
    expect(marks.take('node3', replayed.after(0).items).map((i) => (i.obs.type === 'signal' ? i.obs.signal.time : 0))).toEqual([8]);

    const restored = new Watermarks(marks.toState());
    expect(restored.take('node3', replayed.after(0).items)).toEqual([]);
  });

  it('stays bounded and says where it starts', () => {
    const log = new EvidenceLog(10);
    for (let i = 1; i <= 25; i++) log.append(sig(i));
    const page = log.after(0);
    expect(page.items).toHaveLength(10);
    expect(page.oldest).toBe(16);
    expect(page.last).toBe(25);
  });
});
