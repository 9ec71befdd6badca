import type { Config } from '../config/schema.js';
import { DEFAULT_CORRELATOR_OPTIONS } from '../correlate/correlator.js';
import type { CorrelatorOptions } from '../correlate/types.js';

/** The correlator's defaults with what the config sets (episodeGap, evidenceCap and downHold are not settable). */
export function correlatorOptions(config: Config): CorrelatorOptions {
  const c = config.correlate;
  const m = config.appLogs.massReconnect;
  return {
    ...DEFAULT_CORRELATOR_OPTIONS,
    window: c.window,
    quiet: c.quiet,
    stormShare: c.stormShare,
    flapCount: c.flapCount,
    flapWindow: c.flapWindow,
    maxIncidents: c.maxIncidents,
    massReconnect: { minTasks: m.minTasks, minPercent: m.minPercent, window: m.window },
  };
}
