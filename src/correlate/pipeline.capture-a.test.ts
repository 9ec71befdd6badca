// End to end on the real capture A: the three dockerd logs → parser → shipped rules → correlator.
// The watchdog must find, by itself, one partition of node3 and nothing about node1 or node2.
import { describe, expect, it } from 'vitest';
import { CAPTURE_A, CAPTURE_A_NODES, captureLines, captureDir } from '../../test/fixtures/shared.js';
import { parseLogrusLine } from '../sources/logrus/parse.js';
import { RuleEngine } from '../detect/rule-engine.js';
import { loadRulesFile as loadRules } from '../detect/load-rules.js';
import type { DaemonEntry } from '../detect/types.js';
import { Correlator } from './correlator.js';
import { incidentToJson } from './incident-json.js';
import type { IncidentChange } from './types.js';

const captureA = captureDir(CAPTURE_A);

function entries(dir: string): DaemonEntry[] {
  const all = CAPTURE_A_NODES.flatMap((node) =>
    captureLines(dir, `${node}.dockerd.log`).map((line): DaemonEntry => {
      const p = parseLogrusLine(line);
      return { node, time: p.time ?? 0, level: p.level, msg: p.msg, fields: p.fields, raw: p.raw };
    }),
  );
  return all.sort((a, b) => a.time - b.time); // as the acting agent sees them: one stream, in time order
}

describe(`the real capture ${CAPTURE_A} through parser, rules and correlator`, () => {
  it('is one partition of node3 from the first heartbeat failure to its re-registration', () => {
    const rules = new RuleEngine(loadRules());
    const c = new Correlator();
    const list = entries(captureA);
    const changes: IncidentChange[] = [];
    for (const e of list) for (const signal of rules.apply(e)) changes.push(...c.add({ type: 'signal', signal }));
    changes.push(...c.tick(list[list.length - 1]!.time + 60_000));

    const json = c.incidents().map(incidentToJson);
    expect(json.map((i) => [i.kind, i.nodes])).toEqual([['partition', ['node3']]]);
    const [i] = json;
    expect(i!.start).toBe('2026-11-22T01:44:28.228Z');
    expect(i!.end).toBe('2026-11-22T01:45:01.929Z');
    expect(i!.errorClass).toBe('DeadlineExceeded');
    expect(i!.storm).toBe(false);
    expect(i!.evidence.some((e) => e.node === 'node1' && e.message === 'worker 6kqqdrhr35xpr6nlxe6cnm6rv was successfully registered')).toBe(true);
    expect(i!.evidence.some((e) => e.node === 'node3' && e.message.startsWith('heartbeat to manager'))).toBe(true);
    expect(i!.summary).toBe('node3 lost its manager session at 01:44:28 (DeadlineExceeded) and was back at 01:45:01');
    expect(changes.map((ch) => ch.change)).toContain('ended');
    expect(changes.filter((ch) => ch.change === 'opened')).toHaveLength(1);
  });
});
