import type { Config } from '../config/schema.js';
import type { CorrelatorOptions } from '../correlate/types.js';

export function correlatorOptions(config: Config): CorrelatorOptions {
  const c = config.correlate;
  return {
    window: c.window,
    quiet: c.quiet,
    stormShare: c.stormShare,
    flapCount: c.flapCount,
    flapWindow: c.flapWindow,
    episodeGap: 30_000, // longer than the agent's longest session backoff (8 s) with room to spare
    maxIncidents: c.maxIncidents,
    evidenceCap: 50,
    downHold: 10 * 60_000,
    massReconnect: { minTasks: config.appLogs.massReconnect.minTasks, minPercent: config.appLogs.massReconnect.minPercent, window: config.appLogs.massReconnect.window },
  };
}
