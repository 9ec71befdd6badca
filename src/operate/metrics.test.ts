import { describe, expect, it } from 'vitest';
import { LabelCap, OTHER } from './label-cap.js';
import { MAX_CODE_SERIES, Metrics } from './metrics.js';

describe('watchdog_app_log_codes_total', () => {
  it('20,000 distinct codes: at most MAX_CODE_SERIES series plus "other", the folded codes counted', async () => {
    const metrics = new Metrics();
    for (let i = 0; i < 20_000; i++) metrics.countAppCode(`API-C${i}-001`);
    for (let i = 0; i < 5; i++) metrics.countAppCode('API-C0-001'); // an early code keeps its series
    const text = await metrics.text();
    const series = text.split('\n').filter((l) => l.startsWith('watchdog_app_log_codes_total{'));
    expect(series).toHaveLength(MAX_CODE_SERIES + 1);
    expect(series).toContain('watchdog_app_log_codes_total{code="API-C0-001"} 6');
    expect(series).toContain(`watchdog_app_log_codes_total{code="other"} ${20_000 - MAX_CODE_SERIES}`);
    expect(text).toContain(`watchdog_app_log_codes_folded_total ${20_000 - MAX_CODE_SERIES}`);
    expect(text.length).toBeLessThan(100_000);
  });
});

describe('LabelCap', () => {
  it('counts each folded value once, and never gives "other" a series of its own', () => {
    const cap = new LabelCap(2, 3);
    expect(cap.label(OTHER)).toEqual({ label: OTHER, folded: true });
    expect(cap.label('a').label).toBe('a');
    expect(cap.label('b').label).toBe('b');
    expect(cap.label('c')).toEqual({ label: OTHER, folded: true });
    expect(cap.label('c')).toEqual({ label: OTHER, folded: false });
    expect(cap.label('a').label).toBe('a');
    for (const v of ['d', 'e', 'f', 'f']) cap.label(v);
    expect(cap.foldedCount).toBe(6); // other, c, d, e remembered; f beyond the memory counts twice
  });
});
