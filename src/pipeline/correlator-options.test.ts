import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.js';
import { DEFAULT_CORRELATOR_OPTIONS } from '../correlate/correlator.js';
import { correlatorOptions } from './correlator-options.js';

describe('correlator options', () => {
  it("with the config's defaults the agent runs the correlator the tests run (DEFAULT_CORRELATOR_OPTIONS)", () => {
    expect(correlatorOptions(parseConfig('', '(defaults)', {}))).toEqual(DEFAULT_CORRELATOR_OPTIONS);
  });

  it('takes what the config sets', () => {
    const config = parseConfig('correlate:\n  window: 30s\nappLogs:\n  massReconnect:\n    minTasks: 3\n', 'x.yml', {});
    expect(correlatorOptions(config)).toMatchObject({ window: 30_000, downHold: DEFAULT_CORRELATOR_OPTIONS.downHold, massReconnect: { minTasks: 3 } });
  });
});
