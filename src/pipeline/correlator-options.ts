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
    episodeGap: 15_000, // a session retry comes at least every ~8 s (backoff cap) + the dial: a longer silence means it came back
    maxIncidents: c.maxIncidents,
    evidenceCap: 50,
    downHold: 10 * 60_000,
    massReconnect: { minTasks: config.appLogs.massReconnect.minTasks, minPercent: config.appLogs.massReconnect.minPercent, window: config.appLogs.massReconnect.window },
  };
}
