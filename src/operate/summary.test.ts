import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Incident } from '../correlate/types.js';
import { needsToken } from '../http/access.js';
import { buildSummary, codeTable, formatChange, mergeSources, summaryMessage, summaryRoute, summaryText, type Summary } from './summary.js';

const T0 = Date.parse('2026-03-01T08:00:00Z');
const H = 3_600_000;

function incident(id: string, start: number, end: number | null, summary = `incident ${id}`): Incident {
  return {
    id, kind: 'partition', nodes: ['node3'], start, end, evidence: [], evidenceCount: 0, tasksMoved: [], servicesAffected: [], reconnects: [], storm: false, summary, lastActivityAt: start,
  };
}

describe('buildSummary', () => {
  it('sorts rows by count, then code, and compares with the previous period', () => {
    const s = buildSummary({
      today: [{ code: 'B-X-001', count: 5 }, { code: 'A-X-001', count: 5 }, { code: 'C-X-001', count: 40 }, { code: 'D-X-001', count: 3 }],
      yesterday: [{ code: 'C-X-001', count: 10 }, { code: 'D-X-001', count: 3 }, { code: 'E-X-001', count: 7 }, { code: 'A-X-001', count: 9 }],
      incidents: [],
      from: T0,
      to: T0 + 24 * H,
    });
    expect(s.codes).toEqual([
      { code: 'C-X-001', count: 40, change: 30 },
      { code: 'A-X-001', count: 5, change: -4 },
      { code: 'B-X-001', count: 5, change: 'new' },
      { code: 'D-X-001', count: 3, change: 0 },
      { code: 'E-X-001', count: 0, change: -7 }, // gone since yesterday: still worth a row
    ]);
    expect(s.from).toBe('2026-03-01T08:00:00.000Z');
    expect(s.to).toBe('2026-03-02T08:00:00.000Z');
  });

  it('has no change without a previous period, adds up repeated codes and leaves out zeros', () => {
    const s = buildSummary({ today: [{ code: 'A', count: 2 }, { code: 'A', count: 3 }, { code: 'Z', count: 0 }], incidents: [], from: 0, to: 1 });
    expect(s.codes).toEqual([{ code: 'A', count: 5, change: null }]);
  });

  it('lists the incidents that overlap the period, oldest first, one line each', () => {
    const s = buildSummary({
      today: [],
      incidents: [
        incident('late', T0 + 5 * H, null, 'node3 lost its manager session (ongoing)'),
        incident('before', T0 - 5 * H, T0 - 4 * H),
        incident('across', T0 - H, T0 + H),
        incident('after', T0 + 25 * H, T0 + 26 * H),
      ],
      from: T0,
      to: T0 + 24 * H,
    });
    expect(s.incidents.map((i) => i.id)).toEqual(['across', 'late']);
    expect(s.incidents[1]).toEqual({ id: 'late', kind: 'partition', nodes: ['node3'], start: new Date(T0 + 5 * H).toISOString(), end: null, summary: 'node3 lost its manager session (ongoing)' });
    const wider = buildSummary({ today: [], incidents: [incident('before', T0 - 5 * H, T0 - 4 * H)], from: T0, to: T0 + H, incidentsFrom: T0 - 24 * H });
    expect(wider.incidents).toHaveLength(1);
  });

  it('property: rows are sorted, counts match the input, every code of both periods has a row', () => {
    const totals = fc.array(fc.record({ code: fc.constantFrom('A', 'B', 'C', 'D', 'E'), count: fc.nat(50) }), { maxLength: 12 });
    fc.assert(
      fc.property(totals, fc.option(totals, { nil: undefined }), (today, yesterday) => {
        const s = buildSummary({ today, yesterday, incidents: [], from: 0, to: 1 });
        const sum = (list: typeof today, code: string) => list.filter((t) => t.code === code).reduce((n, t) => n + t.count, 0);
        for (let i = 1; i < s.codes.length; i++) {
          const [a, b] = [s.codes[i - 1], s.codes[i]];
          expect(a.count > b.count || (a.count === b.count && a.code < b.code)).toBe(true);
        }
        for (const row of s.codes) {
          expect(row.count).toBe(sum(today, row.code));
          if (!yesterday) expect(row.change).toBeNull();
          else if (sum(yesterday, row.code) === 0) expect(row.change).toBe('new');
          else expect(row.change).toBe(row.count - sum(yesterday, row.code));
        }
        const expected = new Set([...today, ...(yesterday ?? [])].filter((t) => t.count > 0).map((t) => t.code));
        expect(new Set(s.codes.map((r) => r.code))).toEqual(expected);
      }),
    );
  });
});

describe('mergeSources', () => {
  it('takes the larger count of a code seen by two sources', () => {
    expect(mergeSources([{ code: 'WDG-SLACK-002', count: 3 }, { code: 'API-REDIS-001', count: 9 }], [{ code: 'WDG-SLACK-002', count: 5 }, { code: 'WDG-CLI-001', count: 1 }])).toEqual([
      { code: 'WDG-SLACK-002', count: 5 },
      { code: 'API-REDIS-001', count: 9 },
      { code: 'WDG-CLI-001', count: 1 },
    ]);
  });
});

const sample: Summary = {
  from: '2026-03-01T08:00:00.000Z',
  to: '2026-03-02T08:00:00.000Z',
  codes: [
    { code: 'API-REDIS-001', count: 1234, change: 1200 },
    { code: 'WDG-DETECT-001', count: 2, change: 'new' },
    { code: 'WDG-SLACK-002', count: 1, change: 0 },
    { code: 'API-ELASTIC-001', count: 0, change: -3 },
  ],
  incidents: [{ id: 'i1', kind: 'partition', nodes: ['node3'], start: '2026-03-01T10:00:00.000Z', end: '2026-03-01T10:05:00.000Z', summary: 'node3 lost its manager session at 10:00:00 (DeadlineExceeded)' }],
};

describe('text output', () => {
  it('formats changes', () => {
    expect([5, -2, 0, 'new', null].map((c) => formatChange(c as never))).toEqual(['+5', '-2', '=', 'new', '']);
  });

  it('prints an aligned table and the incidents', () => {
    expect(summaryText(sample)).toBe(
      [
        'Log codes 2026-03-01 08:00 → 2026-03-02 08:00 UTC',
        '',
        'CODE             COUNT  CHANGE',
        'API-REDIS-001     1234   +1200',
        'WDG-DETECT-001       2     new',
        'WDG-SLACK-002        1       =',
        'API-ELASTIC-001      0      -3',
        '',
        '1 incident(s):',
        '- [partition] node3 lost its manager session at 10:00:00 (DeadlineExceeded)',
      ].join('\n'),
    );
  });

  it('says so when there is nothing', () => {
    expect(summaryText({ ...sample, codes: [], incidents: [] })).toBe(['Log codes 2026-03-01 08:00 → 2026-03-02 08:00 UTC', '', 'No log codes in this period.', '', 'No incidents.'].join('\n'));
  });

  it('cuts a long table', () => {
    const rows = Array.from({ length: 5 }, (_, i) => ({ code: `C${i}`, count: 5 - i, change: null }));
    expect(codeTable(rows, 2)).toEqual(['CODE  COUNT  CHANGE', 'C0        5', 'C1        4', '… and 3 more codes']);
  });
});

describe('summaryMessage', () => {
  it('has a header, the period, the table in a code block and the incidents, and the same as text', () => {
    const m = summaryMessage(sample);
    const blocks = m.blocks as Array<{ type: string; text?: { text: string }; elements?: Array<{ text: string }> }>;
    expect(blocks.map((b) => b.type)).toEqual(['header', 'context', 'section', 'section']);
    expect(blocks[0].text!.text).toBe('Swarm daily summary 2026-03-02');
    expect(blocks[1].elements![0].text).toBe('2026-03-01 08:00 → 2026-03-02 08:00 UTC · 1237 coded log lines · 3 codes');
    expect(blocks[2].text!.text).toBe(`\`\`\`\n${codeTable(sample.codes).join('\n')}\n\`\`\``);
    expect(blocks[3].text!.text).toContain('*Incidents*\n- [partition] node3 lost');
    expect(m.text).toContain('API-REDIS-001     1234   +1200');
    expect(m.text).toContain('1 incident(s):');
  });

  it('stays within Slack limits with many codes and incidents', () => {
    const many: Summary = {
      ...sample,
      codes: Array.from({ length: 500 }, (_, i) => ({ code: `APP-FEATURE-${String(i).padStart(3, '0')}-${'X'.repeat(40)}`, count: 1000 - i, change: 'new' as const })),
      incidents: Array.from({ length: 200 }, (_, i) => ({ ...sample.incidents[0], id: `i${i}`, summary: 'y'.repeat(120) })),
    };
    const blocks = summaryMessage(many).blocks as Array<{ text?: { text: string } }>;
    for (const b of blocks) expect((b.text?.text ?? '').length).toBeLessThanOrEqual(3000);
    expect(blocks[2].text!.text).toContain('more');
    expect(blocks[3].text!.text).toContain('more incidents');
  });

  it('says there were no incidents', () => {
    const blocks = summaryMessage({ ...sample, incidents: [] }).blocks as Array<{ text?: { text: string } }>;
    expect(blocks[3].text!.text).toBe('No incidents.');
  });
});

describe('summaryRoute', () => {
  it('passes ?since as ms (24 h by default) and refuses what is not a duration', async () => {
    const asked: number[] = [];
    const route = summaryRoute((ms) => (asked.push(ms), sample));
    expect(route).toMatchObject({ method: 'GET', path: '/v1/summary' });
    expect(needsToken(route.path)).toBe(true); // the one rule: everything but health and metrics
    expect(await route.handle(new URLSearchParams(''), undefined)).toEqual({ status: 200, body: sample });
    await route.handle(new URLSearchParams('since=90m'), undefined);
    expect(asked).toEqual([86_400_000, 5_400_000]);
    expect(await route.handle(new URLSearchParams('since=yesterday'), undefined)).toMatchObject({ status: 400 });
  });
});
